// Base64 for tree entries' content_b64 (FORMAT.md), in chunks: String.fromCharCode over a whole
// multi-megabyte program would exceed the engine's argument limit.
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
