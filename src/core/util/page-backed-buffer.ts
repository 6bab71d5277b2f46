/**
 * Buffers for data held a long while and then dropped all at once (the
 * ingest spill). A plain ArrayBuffer comes from malloc, and glibc keeps
 * freed blocks under its mmap threshold (up to 32 MB) for reuse rather
 * than return them: on the scale benchmark about 1 GB of spilled rows
 * stayed resident after they were folded, through the edges stage that
 * set the peak. A resizable ArrayBuffer is reserved from the OS page by
 * page (V8's page allocator, whatever the malloc), so dropping it gives its
 * memory back; it moves to another thread like any ArrayBuffer.
 *
 * Reading through views on a resizable buffer is slower (about 2.5 times,
 * measured on Node 20), and mixing them with plain views slows plain code
 * too: such buffers are for storage only, copied into plain memory (with
 * TypedArray.set, which runs natively) before their contents are worked on.
 */
type PageBackedConstructor = new (length: number, options: { readonly maxByteLength: number }) => ArrayBuffer;

/** A zeroed page-backed buffer of `bytes`. An engine without resizable buffers gives a plain one. */
export function pageBackedBuffer(bytes: number): ArrayBuffer {
  return new (ArrayBuffer as unknown as PageBackedConstructor)(bytes, { maxByteLength: bytes });
}
