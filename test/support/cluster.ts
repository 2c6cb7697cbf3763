/** Starts N worker processes of the reference backend on one database and tears them down. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent } from 'undici';

const workerPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts');

export interface Cluster {
  urls: string[];
  /** An HTTP agent that keeps many connections open to every worker. */
  agent: Agent;
  setClock(at: number): Promise<void>;
  sweep(): Promise<number[]>;
  /** One notification pass on every process at once; what each did. */
  notify(): Promise<Record<string, unknown>[]>;
  /** Runs one webhook delivery pass on every worker; how many messages each attempted. */
  deliverWebhooks(): Promise<number[]>;
  /** Kills worker `index` with `signal` (SIGKILL: no shutdown code runs) and waits for it to exit. */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** The child process of worker `index` (its exit code, signals). */
  children: ChildProcess[];
  stop(): Promise<void>;
}

/** Starts one worker process; resolves to its child process and URL once it listens. */
export function startWorker(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // WORKER_NODE_ARGS passes flags to the workers only (e.g. `--cpu-prof` to profile the server side).
  const extra = process.env.WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', workerPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('worker did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

/** The exit of a child: its code (null when a signal ended it) and the signal. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export async function startCluster(options: {
  processes: number;
  databaseUrl?: string;
  clockStart: number;
  poolSize?: number;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const env = {
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    CLOCK_START: String(options.clockStart),
    POOL_SIZE: String(options.poolSize ?? 20),
    ...options.env,
  };
  const started = await Promise.all(Array.from({ length: options.processes }, () => startWorker(env)));
  const children = started.map((worker) => worker.child);
  const urls = started.map((worker) => worker.url);
  const agent = new Agent({ connections: 1024, pipelining: 1, keepAliveTimeout: 30_000 });
  const post = async (url: string, body: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    urls,
    agent,
    children,
    async setClock(at) {
      await Promise.all(urls.map((url) => post(`${url}/__control/clock`, { at })));
    },
    async sweep() {
      return Promise.all(
        urls.map(async (url) => (await post(`${url}/__control/sweep`, {})).expired as number),
      );
    },
    async notify() {
      return Promise.all(urls.map((url) => post(`${url}/__control/notify`, {})));
    },
    async deliverWebhooks() {
      return Promise.all(
        urls.map(async (url) => (await post(`${url}/__control/deliver`, {})).attempted as number),
      );
    },
    async kill(index, signal = 'SIGKILL') {
      const child = children[index]!;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
    async stop() {
      await agent.close();
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
            }),
        ),
      );
    },
  };
}
