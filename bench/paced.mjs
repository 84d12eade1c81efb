// A response paced like a network link: `data` in 256 KiB chunks, chunk i leaving i × 256 KiB /
// `rate` seconds after the request (rate in bytes per second), with its Content-Length.
const CHUNK = 256 << 10;

/** Writes `data` to `res` at `rate` bytes per second. */
export function sendPaced(res, data, rate, type = 'application/octet-stream') {
  res.writeHead(200, { 'content-type': type, 'content-length': data.length });
  const t0 = performance.now();
  let at = 0;
  const next = () => {
    if (at >= data.length) return res.end();
    const wait = t0 + (at / rate) * 1000 - performance.now();
    if (wait > 1) return setTimeout(next, wait);
    const part = data.subarray(at, at + CHUNK);
    at += part.length;
    if (res.write(part)) setImmediate(next);
    else res.once('drain', next);
  };
  next();
}
