/** The load generator, run in its own process (pinned to its own core): one autocannon run, JSON out. */
import autocannon from "autocannon";

const { url, headers, body, seconds, connections } = JSON.parse(process.argv[2]!) as {
  url: string;
  headers: Record<string, string>;
  body: string;
  seconds: number;
  connections: number;
};
const result = await autocannon({ url, method: "POST", headers, body, duration: seconds, connections, pipelining: 1 });
console.log(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  }),
);
