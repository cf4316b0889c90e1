/** The load generator of bench/audit/run.ts, in its own process: prints autocannon's result as JSON. */
import autocannon from 'autocannon';

const [url, token, duration, connections] = process.argv.slice(2);
const result = await autocannon({ url: url!, headers: { authorization: `Bearer ${token}` }, connections: Number(connections), duration: Number(duration) });
process.stdout.write(JSON.stringify({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }));
