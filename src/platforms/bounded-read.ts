// Reads a download into memory up to a limit: a file larger than the app accepts is never held
// whole (the stream is dropped as soon as the limit is passed).

/** The bytes of `stream`, or 'too_big' once more than `maxBytes` arrived (the rest is not read). */
export async function readBounded(
  stream: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  abort?: () => void,
): Promise<Buffer | 'too_big'> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    total += b.length;
    if (total > maxBytes) {
      abort?.();
      return 'too_big';
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
