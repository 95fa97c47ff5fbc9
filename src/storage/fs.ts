/**
 * The synchronous file operations the disk queue uses, behind an interface
 * so tests can inject faults (a full disk, a failing fsync). The queue uses
 * sync calls on purpose: each push is one small write, and a synchronous
 * write makes "accepted" and "on disk" the same moment, which is what the
 * acknowledgement contract needs.
 */
import * as nodeFs from 'node:fs';

export interface QueueFs {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  writeSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  readSync(fd: number, buf: Uint8Array, off: number, len: number, pos: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  fstatSize(fd: number): number;
  readFileSync(path: string): Buffer;
  writeFileSync(path: string, data: string | Uint8Array): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  readdirSync(path: string): string[];
  mkdirSync(path: string): void;
  existsSync(path: string): boolean;
}

export const realFs: QueueFs = {
  openSync: (p, f) => nodeFs.openSync(p, f),
  closeSync: (fd) => nodeFs.closeSync(fd),
  writeSync: (fd, b, o, l, p) => nodeFs.writeSync(fd, b, o, l, p),
  readSync: (fd, b, o, l, p) => nodeFs.readSync(fd, b, o, l, p),
  fsyncSync: (fd) => nodeFs.fsyncSync(fd),
  ftruncateSync: (fd, l) => nodeFs.ftruncateSync(fd, l),
  fstatSize: (fd) => nodeFs.fstatSync(fd).size,
  readFileSync: (p) => nodeFs.readFileSync(p),
  writeFileSync: (p, d) => nodeFs.writeFileSync(p, d),
  renameSync: (a, b) => nodeFs.renameSync(a, b),
  unlinkSync: (p) => nodeFs.unlinkSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  mkdirSync: (p) => nodeFs.mkdirSync(p, { recursive: true }),
  existsSync: (p) => nodeFs.existsSync(p),
};
