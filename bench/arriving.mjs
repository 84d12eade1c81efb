// In the page: omnikpi's bench module reading an Arrow IPC or CSV response the app's way, chunk
// by chunk as it arrives (`Bench.begin_arriving` / `feed_arriving` / `end_arriving`), and when
// the browser received its last byte. Shared by the browser benchmark (bench.mjs) and bench/load.mjs.

/** Reads the response `resp` into `bench` as it arrives, as a source named `name` (its
 *  extension tells the format); returns the rows loaded. */
export async function readArriving(bench, resp, name = 'bench.arrow') {
  bench.begin_arriving(name, Number(resp.headers.get('content-length') ?? 0));
  const reader = resp.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bench.feed_arriving(value);
  }
  return bench.end_arriving();
}

/** When the browser received the last byte of the request to `url` (Resource Timing's
 *  `responseEnd`, ms on the page's clock). The entry is added when the response ends: after
 *  the current task at the latest, so this waits for one. */
export async function lastByte(url) {
  await new Promise((ok) => setTimeout(ok, 0));
  return performance.getEntriesByName(new URL(url, location.href).href).pop().responseEnd;
}
