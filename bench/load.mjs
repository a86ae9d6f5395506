// Server load on loopback: requests per second for a customer's reservation list, and the
// latency of refund submission (calculateRefund → return, only the return is timed) with 64
// concurrent clients, each phase bounded in time.
// Usage: node bench/load.mjs <base URL>   (scripts/bench.sh starts a fresh server for it)
// Env: CLIENTS (64), SECONDS (5 per phase).
import http from 'node:http';

const BASE = new URL(process.argv[2] ?? 'http://127.0.0.1:3927');
const CLIENTS = Number(process.env.CLIENTS ?? 64);
const SECONDS = Number(process.env.SECONDS ?? 5);
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const TOKEN = 'Bearer demo-admin-agent';

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: BASE.hostname, port: BASE.port, path, method, agent,
        headers: { authorization: TOKEN, ...(data ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json = null;
          try { json = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, json });
        });
      });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Runs `CLIENTS` loops of `step` for `SECONDS`; each step returns its timed latency or null. */
async function phase(step) {
  const until = performance.now() + SECONDS * 1000;
  const latencies = [];
  const statuses = {};
  let requests = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    let i = 0;
    while (performance.now() < until) {
      const result = await step(client, i++);
      if (!result) break;
      requests += result.requests;
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      if (result.ms !== undefined) latencies.push(result.ms);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { latencies, statuses, requests };
}

const customers = (await request('GET', '/api/customers')).json;
const listPath = `/api/customers/${customers[0].id}/reservations`;

// Phase 1: the reservation list, as fast as 64 clients can ask.
const list = await phase(async () => {
  const { status } = await request('GET', listPath);
  return { status, requests: 1 };
});

// Phase 2: refund submissions. Every client quotes one unit of an active reservation, then
// submits; accepted (200) and refused (409: limit reached, quote changed by another client)
// submissions both run the whole recompute-and-commit path and are both timed.
const active = [];
for (const c of customers) {
  const rs = (await request('GET', `/api/customers/${c.id}/reservations`)).json;
  active.push(...rs.filter((r) => r.provisioningState === 'Succeeded'));
}
const submit = await phase(async (client, i) => {
  const r = active[(client * 7 + i) % active.length];
  const calc = await request('POST', `/api/reservationOrders/${r.reservationOrderId}/calculateRefund`,
    { reservationId: r.id, quantity: 1 });
  if (calc.status !== 200) return { status: `calculate ${calc.status}`, requests: 1 };
  const start = performance.now();
  const done = await request('POST', `/api/reservationOrders/${r.reservationOrderId}/return`,
    { sessionId: calc.json.sessionId, returnReason: 'Load test' });
  return { status: done.status, requests: 2, ms: performance.now() - start };
});

const fmt = (n) => n.toFixed(2);
console.log(`\n| server on loopback, ${CLIENTS} concurrent clients, ${SECONDS} s per phase | figure |`);
console.log('|---|---|');
console.log(`| GET ${listPath.replace(customers[0].id, '{customerId}')}: requests per second | ${Math.round(list.requests / SECONDS)} |`);
console.log(`| … answers | ${JSON.stringify(list.statuses)} |`);
const s = submit.latencies;
if (s.length) {
  console.log(`| refund submission (return): p50 / p99 ms | ${fmt(percentile(s, 50))} / ${fmt(percentile(s, 99))} |`);
}
console.log(`| … submissions timed, answers | ${s.length}, ${JSON.stringify(submit.statuses)} |`);
agent.destroy();
