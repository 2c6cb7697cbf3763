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
  /** Kills worker `index` at once (SIGKILL), as a crash would. */
  kill(index: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(options: {
  processes: number;
  databaseUrl?: string;
  clockStart: number;
  poolSize?: number;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const children: ChildProcess[] = [];
  const urls = await Promise.all(
    Array.from({ length: options.processes }, () => {
      // WORKER_NODE_ARGS passes flags to the workers only (e.g. `--cpu-prof` to profile the server side).
      const extra = process.env.WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      const child = spawn(process.execPath, [...extra, '--import', 'tsx', workerPath], {
        env: {
          ...process.env,
          ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
          CLOCK_START: String(options.clockStart),
          POOL_SIZE: String(options.poolSize ?? 20),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      return new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('worker did not start within 60 s')), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /READY (\d+)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(`http://127.0.0.1:${match[1]}`);
          }
        });
        child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      });
    }),
  );
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
    async setClock(at) {
      await Promise.all(urls.map((url) => post(`${url}/__control/clock`, { at })));
    },
    async sweep() {
      return Promise.all(
        urls.map(async (url) => (await post(`${url}/__control/sweep`, {})).expired as number),
      );
    },
    async kill(index) {
      const child = children[index]!;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
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
