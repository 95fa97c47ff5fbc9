/**
 * Asynchronous work (DNS, sockets) done on a helper thread while the
 * calling thread waits for the answer: script runs are synchronous, as
 * DataKit's are, so a function such as `http_request` must block the
 * pipeline until its response is in (or its time is up).
 *
 * The helper thread runs `source`, which must define
 * `async function handle(msg)`; each answer is posted on a message port
 * and then announced through a shared flag the caller sleeps on with
 * `Atomics.wait`. Messages carry an id so an answer that arrives after its
 * caller gave up is recognised and discarded. The thread is unref'd (it
 * never keeps the process alive), started on first use, and replaced
 * after a call times out, so one stuck request cannot wedge later ones.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

const PRELUDE = `
const { workerData } = require('node:worker_threads');
const port = workerData.port;
const flag = new Int32Array(workerData.flag);
function answer(body) {
  port.postMessage(body);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
port.on('message', (m) => {
  Promise.resolve()
    .then(() => handle(m))
    .then(
      (r) => answer(Object.assign({}, r, { id: m.id })),
      (e) => answer({ id: m.id, error: String((e && e.message) || e) }),
    );
});
`;

export type WorkerAnswer = Record<string, unknown> & { error?: string };

export class SyncWorker {
  readonly #source: string;
  #worker: Worker | null = null;
  #port: MessagePort | null = null;
  #flag: Int32Array | null = null;
  #nextId = 1;

  constructor(handlerSource: string) {
    this.#source = PRELUDE + handlerSource;
  }

  /**
   * Send `msg` and wait at most `waitMs` for its answer. Null when no
   * answer came in time (the helper thread is then replaced).
   */
  call(msg: Record<string, unknown>, waitMs: number): WorkerAnswer | null {
    const { port, flag } = this.#ensure();
    const id = this.#nextId++;
    Atomics.store(flag, 0, 0);
    port.postMessage({ ...msg, id });
    const deadline = Date.now() + waitMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#replace();
        return null;
      }
      Atomics.wait(flag, 0, 0, left);
      // reset before draining: an answer posted after the drain sets the flag again
      Atomics.store(flag, 0, 0);
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
        const body = m.message as WorkerAnswer;
        if (body.id === id) return body;
      }
    }
  }

  /** Stop the helper thread (a later call starts a new one). */
  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    this.#port?.close();
    this.#port = null;
    if (w !== null) await w.terminate();
  }

  #ensure(): { port: MessagePort; flag: Int32Array } {
    if (this.#worker !== null && this.#port !== null && this.#flag !== null)
      return { port: this.#port, flag: this.#flag };
    const shared = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.#source, {
      eval: true,
      workerData: { port: port2, flag: shared },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    worker.on('error', () => {
      if (this.#worker === worker) this.#worker = null;
    });
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
    });
    this.#worker = worker;
    this.#port = port1;
    this.#flag = new Int32Array(shared);
    return { port: port1, flag: this.#flag };
  }

  #replace(): void {
    const w = this.#worker;
    this.#worker = null;
    this.#port?.close();
    this.#port = null;
    if (w !== null) void w.terminate();
  }
}
