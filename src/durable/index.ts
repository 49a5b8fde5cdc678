// Public face of durable/: disk primitives that must not lose or half-write data.
// Other layers import only this file.

export {
  AtomicFileWriter,
  type AtomicWriteOptions,
  type AtomicWriteResult,
  tempPathFor,
  writeFileAtomic,
} from './atomic-file.ts';
