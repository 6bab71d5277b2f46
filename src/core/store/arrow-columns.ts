import { Bool, Float64, Utf8, makeData, makeVector, type Vector } from 'apache-arrow';

/**
 * Arrow vectors built straight from buffers. Arrow's builders (used by
 * vectorFromArray for strings and booleans) compile code with
 * `new Function`, which the app's Content-Security-Policy forbids; these
 * helpers need no eval, in the browser worker and in Node alike.
 */
const encoder = new TextEncoder();

export function utf8Vector(values: readonly (string | null)[]): Vector<Utf8> {
  const encoded = values.map((value) => (value === null ? null : encoder.encode(value)));
  let total = 0;
  for (const bytes of encoded) total += bytes?.length ?? 0;
  const data = new Uint8Array(total);
  const valueOffsets = new Int32Array(values.length + 1);
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  let position = 0;
  encoded.forEach((bytes, index) => {
    if (bytes === null) nullCount++;
    else {
      nullBitmap[index >> 3]! |= 1 << (index & 7);
      data.set(bytes, position);
      position += bytes.length;
    }
    valueOffsets[index + 1] = position;
  });
  return makeVector(
    makeData({ type: new Utf8(), length: values.length, nullCount, nullBitmap: nullCount > 0 ? nullBitmap : null, valueOffsets, data }),
  );
}

export function boolVector(values: readonly boolean[]): Vector<Bool> {
  const data = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((value, index) => {
    if (value) data[index >> 3]! |= 1 << (index & 7);
  });
  return makeVector(makeData({ type: new Bool(), length: values.length, nullCount: 0, data }));
}

/** Doubles where NaN means unknown: NaN becomes SQL NULL (the values buffer is shared, not copied). */
export function nullableFloat64Vector(values: Float64Array): Vector<Float64> {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let index = 0; index < values.length; index++) {
    if (Number.isNaN(values[index]!)) nullCount++;
    else nullBitmap[index >> 3]! |= 1 << (index & 7);
  }
  return makeVector(
    makeData({ type: new Float64(), length: values.length, nullCount, nullBitmap: nullCount > 0 ? nullBitmap : null, data: values }),
  );
}
