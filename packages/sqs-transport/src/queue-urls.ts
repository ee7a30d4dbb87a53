import type { SQSClient } from '@aws-sdk/client-sqs';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';

/** The URL of the queue named `name`, from `GetQueueUrl`. */
export async function lookUpQueueUrl(sqs: SQSClient, name: string): Promise<string> {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for queue "${name}"`);
  return QueueUrl;
}

/** A queue's name: the last path segment of its URL (a name is returned as given). */
export function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * Queue names to URLs for producers: a URL is used as given, a name is looked up
 * once and cached; a failed look-up is not cached, so the next send tries again.
 */
export class QueueUrls {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly sqs: SQSClient,
    known: Record<string, string> = {},
  ) {
    for (const [name, url] of Object.entries(known)) this.cache.set(name, Promise.resolve(url));
  }

  resolve(nameOrUrl: string): Promise<string> {
    if (/^https?:\/\//.test(nameOrUrl)) return Promise.resolve(nameOrUrl);
    let url = this.cache.get(nameOrUrl);
    if (!url) {
      url = lookUpQueueUrl(this.sqs, nameOrUrl);
      url.catch(() => this.cache.delete(nameOrUrl));
      this.cache.set(nameOrUrl, url);
    }
    return url;
  }
}
