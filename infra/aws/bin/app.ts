// The CDK app's entry point (cdk.json's "app"): one stack per environment of the context key sqsref:environments.
// A context or queue-definition error is printed as one message, with every problem listed, and exits with code 1.
import { createApp } from '../src/app.js';

try {
  createApp().app.synth();
} catch (error) {
  const code = (error as { code?: unknown }).code;
  if (['INVALID_CONTEXT', 'INVALID_OPTION', 'UNDEFINED_QUEUE', 'STOP_TIMEOUT_TOO_LONG'].includes(String(code))) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  throw error;
}
