import { spawn } from 'node:child_process';

/** A `docker` or `docker compose` command that failed. */
export class ComposeCommandError extends Error {
  readonly code = 'COMPOSE_COMMAND_FAILED';

  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
    super(
      `\`${command}\` ${result.timedOut ? 'did not finish in time' : `exited with code ${result.code}`}` +
        (detail ? `:\n${detail}` : ''),
    );
    this.name = 'ComposeCommandError';
  }
}

/** Options that do not name a usable project. */
export class ComposeProjectOptionsError extends Error {
  readonly code = 'COMPOSE_PROJECT_OPTIONS_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'ComposeProjectOptionsError';
  }
}

export interface ComposeProjectOptions {
  /** The project directory (`--project-directory`): where the compose file and its .env are. */
  directory: string;
  /** The project name (`-p`): lower-case letters, digits, `-` and `_`, starting with a letter or a digit. */
  name: string;
  /** Compose files relative to `directory`, in merge order (`-f` each). At least one. */
  files: readonly string[];
  /** Profiles to enable (`--profile` each); they replace COMPOSE_PROFILES of .env. Default none. */
  profiles?: readonly string[];
  /** Variables for the compose file's interpolation, on top of this process's environment. Default none. */
  env?: Readonly<Record<string, string>>;
  /** The Docker command line. Default `docker`. */
  docker?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Also copy the command's output to this process's stderr as it comes (build and start-up progress). */
  echo?: boolean;
  /** Stop the command (SIGTERM) after this many ms and fail. Default: no limit. */
  timeoutMs?: number;
  /** Stop the command (SIGTERM) when this aborts, e.g. on Ctrl-C. */
  signal?: AbortSignal;
}

/** What `docker inspect` says about a container. */
export interface ContainerState {
  id: string;
  /** created, running, exited, ... */
  status: string;
  exitCode: number;
  /** The health check's verdict (healthy, unhealthy, starting), when the container has one. */
  health: string | undefined;
  /** The image id the container runs. */
  image: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * One Compose project, driven through the Docker command line: every command carries the same project name, files
 * and profiles, so it touches that project's containers, networks and volumes and nothing else.
 */
export class ComposeProject {
  readonly name: string;
  private readonly docker: string;

  constructor(private readonly options: ComposeProjectOptions) {
    if (!PROJECT_NAME.test(options.name)) {
      throw new ComposeProjectOptionsError(
        `Compose project name "${options.name}" is invalid: use lower-case letters, digits, "-" and "_", starting with a letter or a digit.`,
      );
    }
    if (options.files.length === 0) throw new ComposeProjectOptionsError('Give at least one compose file.');
    this.name = options.name;
    this.docker = options.docker ?? 'docker';
  }

  /** The arguments of `docker` for `docker compose <args>` on this project. */
  composeArgs(args: readonly string[]): string[] {
    return [
      'compose',
      '--project-name',
      this.name,
      '--project-directory',
      this.options.directory,
      ...this.options.files.flatMap((file) => ['--file', file]),
      ...(this.options.profiles ?? []).flatMap((profile) => ['--profile', profile]),
      ...args,
    ];
  }

  /** `docker compose <args>` on this project; rejects with {@link ComposeCommandError} unless it exits with 0. */
  async compose(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.run(this.composeArgs(args), options, `docker compose ${args.join(' ')}`);
  }

  /** A plain `docker <args>` command (inspect, image inspect), with the same error handling. */
  async dockerCommand(args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
    return this.run(args, options, `docker ${args.join(' ')}`);
  }

  /** Builds the images and starts every service of the profiles; resolves once all are running and healthy. */
  async up(options: RunOptions = {}): Promise<void> {
    await this.compose(['up', '--build', '--wait', '--wait-timeout', '240'], { echo: true, ...options });
  }

  /** Removes the project's containers, networks and volumes, and containers of services no longer defined. */
  async down(options: RunOptions = {}): Promise<void> {
    await this.compose(['down', '--volumes', '--remove-orphans'], { echo: true, ...options });
  }

  /** Stops a service's container the way Compose does: SIGTERM, then SIGKILL after its `stop_grace_period`. */
  async stop(service: string): Promise<void> {
    await this.compose(['stop', service]);
  }

  /** Starts a stopped service's container again (the same container, so the same data). */
  async start(service: string): Promise<void> {
    await this.compose(['start', service]);
  }

  /** The fully interpolated and merged configuration, as `docker compose config --format json` prints it. */
  async config(): Promise<ComposeConfig> {
    const { stdout } = await this.compose(['config', '--format', 'json']);
    return JSON.parse(stdout) as ComposeConfig;
  }

  /** The state of a service's (only) container, running or stopped. */
  async container(service: string): Promise<ContainerState> {
    const { stdout } = await this.compose(['ps', '--all', '--quiet', service]);
    const id = stdout.trim().split('\n')[0] ?? '';
    if (!id) throw new ComposeProjectOptionsError(`Service ${service} of project ${this.name} has no container.`);
    const inspected = JSON.parse((await this.dockerCommand(['inspect', id])).stdout) as Array<{
      Id: string;
      Image: string;
      State: { Status: string; ExitCode: number; Health?: { Status: string } };
    }>;
    const [found] = inspected;
    if (!found) throw new ComposeProjectOptionsError(`docker inspect ${id} found nothing.`);
    return {
      id: found.Id,
      status: found.State.Status,
      exitCode: found.State.ExitCode,
      health: found.State.Health?.Status,
      image: found.Image,
    };
  }

  /** An image's size in bytes, as `docker image ls` counts it. */
  async imageSize(image: string): Promise<number> {
    const { stdout } = await this.dockerCommand(['image', 'inspect', '--format', '{{.Size}}', image]);
    return Number(stdout.trim());
  }

  private run(args: readonly string[], options: RunOptions, command: string): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.docker, args, {
        cwd: this.options.directory,
        env: { ...process.env, ...this.options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (options.echo) process.stderr.write(chunk);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (options.echo) process.stderr.write(chunk);
      });
      if (options.timeoutMs) {
        const timer = setTimeout(() => (timedOut = true), options.timeoutMs);
        child.once('exit', () => clearTimeout(timer));
      }
      child.once('error', (error) => {
        if ((error as NodeJS.ErrnoException).code === 'ABORT_ERR') return; // the exit below reports it
        reject(new ComposeCommandError(command, { code: -1, stdout, stderr: `${stderr}${error.message}`, timedOut }));
      });
      child.once('close', (code, signal) => {
        const result = { code: code ?? (signal ? 128 : 1), stdout, stderr, timedOut };
        if (result.code === 0) resolve(result);
        else reject(new ComposeCommandError(command, result));
      });
    });
  }
}

/** The parts of `docker compose config --format json` the suite reads. */
export interface ComposeConfig {
  name: string;
  services: Record<
    string,
    {
      environment?: Record<string, string | null>;
      stop_grace_period?: string | number;
      ports?: Array<{ target: number; published?: string | number; host_ip?: string }>;
      build?: { context: string; dockerfile: string; args?: Record<string, string> };
    }
  >;
}
