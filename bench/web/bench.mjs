// Browser clients against `rdkernel attach`, one run, one table: frames/s, capture-to-paint
// p50/p99 and client CPU at 1920x1080 on the synthetic desktop, over ws:// on loopback.
//   rows: rdkernel attach (native, headless), rdkernel's web client (auto, and stills only),
//         the stock Xpra 3.1.3 HTML5 client (Debian's /usr/share/xpra/www)
// Each row has its own `rdkernel serve`; after WARMUP s, the row is measured for SECONDS s.
//   usage: node bench/web/bench.mjs [--rdkernel build/bin/rdkernel] [--seconds 10] [--warmup 3]
//
// Capture-to-paint: the server stamps every draw with its capture time (rdk.capture-us, monotonic)
// and sends (monotonic, wall clock) pairs in its pings; a client on the same host turns the stamp
// into wall-clock time and compares it with the moment the draw was painted and acknowledged.
// The stock client knows nothing of the stamps: the page's Client.js is extended on the fly (a
// Playwright route) to ask for them and to note the time of each acknowledgement; its own decode
// and paint code is unchanged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../tests/web/package.json'));
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rdkernel = arg('--rdkernel', path.join(here, '../../build/bin/rdkernel'));
const seconds = Number(arg('--seconds', '10'));
const warmup = Number(arg('--warmup', '3'));
const xpraWww = process.env.RDK_XPRA_WWW || '/usr/share/xpra/www';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const WIDTH = 1920;
const HEIGHT = 1080;
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdk-web-bench-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK = 100;  // USER_HZ

function startServer(extra = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(rdkernel, ['serve', '--bind', 'ws://127.0.0.1:0', '--size', `${WIDTH}x${HEIGHT}`, ...extra], {
      env: { ...process.env, XDG_CACHE_HOME: cacheDir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const on = (d) => {
      log += d;
      const m = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(log);
      if (m && !proc.port) {
        proc.port = Number(m[1]);
        resolve(proc);
      }
    };
    proc.stdout.on('data', on);
    proc.stderr.on('data', on);
    proc.on('exit', (c) => { if (!proc.port) reject(new Error('serve exited ' + c + '\n' + log)); });
  });
}

async function stop(proc) {
  if (!proc || proc.exitCode !== null) return;
  const done = new Promise((r) => proc.on('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([done, sleep(5000)]);
}

/** CPU seconds (user + system) of |pids| and all their descendants. */
function cpuSeconds(rootPids) {
  const parents = new Map();
  const times = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      times.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / TICK);
    } catch (e) {
      // gone
    }
  }
  const inTree = (pid) => {
    for (let p = pid, n = 0; p > 1 && n < 64; p = parents.get(p), n++) if (rootPids.includes(p)) return true;
    return false;
  };
  let total = 0;
  for (const [pid, t] of times) if (inTree(pid)) total += t;
  return total;
}

function percentile(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Chromium's processes: the children of this node process that are not rdkernel. */
function browserPids() {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (ppid === process.pid && !/rdkernel/.test(comm)) out.push(Number(entry));
    } catch (e) {
      // gone
    }
  }
  return out;
}

// Added to the stock client's Client.js: ask for capture stamps, note the ack of every draw.
const STOCK_PROBE = `
;(function () {
  window.rdkBench = { acks: [], latencies: [], wall: null };
  var mk = XpraClient.prototype._make_hello;
  XpraClient.prototype._make_hello = function () {
    var r = mk.apply(this, arguments);
    this.capabilities['rdk.capture-timestamps'] = true;
    return r;
  };
  var ping = XpraClient.prototype._process_ping;
  XpraClient.prototype._process_ping = function (packet, ctx) {
    if (packet.length > 2 && (rdkBench.wall === null || packet[2] - packet[1] < rdkBench.wall)) rdkBench.wall = packet[2] - packet[1];
    return ping.apply(this, arguments);
  };
  var captured = {};
  var dq = XpraClient.prototype._process_draw_queue;
  XpraClient.prototype._process_draw_queue = function (packet, ctx) {
    if (packet && packet[0] === 'draw') {
      var o = packet.length > 10 ? packet[10] : {};
      captured[packet[8]] = o['rdk.capture-us'];
      var p = ctx.protocol;
      if (p && !p.rdkWrapped) {
        p.rdkWrapped = true;
        var send = p.send;
        p.send = function (pk) {
          if (pk[0] === 'damage-sequence' && pk[5] >= 0) {
            var now = performance.timeOrigin + performance.now();
            rdkBench.acks.push(now);
            var c = captured[pk[1]];
            delete captured[pk[1]];
            if (typeof c === 'number' && rdkBench.wall !== null) rdkBench.latencies.push([now, now - (c / 1000 + rdkBench.wall)]);
          }
          return send.apply(this, arguments);
        };
      }
    }
    return dq.apply(this, arguments);
  };
})();
`;

async function browserRow(browser, name, url, stock) {
  const server = await startServer(stock ? ['--set', `server.www-dir=${xpraWww}`] : []);
  const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
  if (stock) {
    await page.route('**/js/Client.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()) + STOCK_PROBE });
    });
  }
  await page.goto(`http://127.0.0.1:${server.port}/${url}`);
  await sleep(warmup * 1000);
  const pids = browserPids();
  const cpu0 = cpuSeconds(pids);
  const serverCpu0 = cpuSeconds([server.pid]);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const cpu1 = cpuSeconds(pids);
  const serverCpu1 = cpuSeconds([server.pid]);
  const elapsed = (Date.now() - t0) / 1000;
  const wallT0 = Date.now() - elapsed * 1000;
  let acks;
  let lat;
  let errors = 0;
  if (stock) {
    const r = await page.evaluate(() => window.rdkBench);
    acks = r.acks.filter((t) => t >= wallT0).length;
    lat = r.latencies.filter(([t]) => t >= wallT0).map(([, l]) => l);
  } else {
    const r = await page.evaluate(() => ({ paints: window.rdkClient.stats.paintLog, errors: window.rdkClient.stats.decodeErrors }));
    acks = r.paints.filter(([t]) => t >= wallT0).length;
    lat = r.paints.filter(([t, l]) => t >= wallT0 && l !== null).map(([, l]) => l);
    errors = r.errors;
  }
  await page.close();
  await stop(server);
  return { name, fps: acks / elapsed, p50: percentile(lat, 50), p99: percentile(lat, 99), cpu: (100 * (cpu1 - cpu0)) / elapsed,
    serverCpu: (100 * (serverCpu1 - serverCpu0)) / elapsed, errors };
}

async function attachRow() {
  const server = await startServer();
  const out = [];
  const attach = spawn(rdkernel, ['attach', `ws://127.0.0.1:${server.port}/`, '--headless', '--no-status', '--json',
    '--seconds', String(warmup + seconds)], { env: { ...process.env, XDG_CACHE_HOME: cacheDir }, stdio: ['ignore', 'pipe', 'ignore'] });
  attach.stdout.on('data', (d) => out.push(d));
  await sleep(warmup * 1000);
  const cpu0 = cpuSeconds([attach.pid]);
  const serverCpu0 = cpuSeconds([server.pid]);
  const t0 = Date.now();
  let cpu1 = cpu0;
  let serverCpu1 = serverCpu0;
  while (attach.exitCode === null && Date.now() - t0 < seconds * 1000 - 300) {
    await sleep(200);
    cpu1 = Math.max(cpu1, cpuSeconds([attach.pid]));
    serverCpu1 = cpuSeconds([server.pid]);
  }
  const elapsed = (Date.now() - t0) / 1000;
  await new Promise((r) => (attach.exitCode !== null ? r() : attach.on('exit', r)));
  await stop(server);
  const s = JSON.parse(Buffer.concat(out).toString());
  return { name: 'rdkernel attach (native, headless)', fps: s.fps, p50: s.latency_p50_ms, p99: s.latency_p99_ms,
    cpu: (100 * (cpu1 - cpu0)) / elapsed, serverCpu: (100 * (serverCpu1 - serverCpu0)) / elapsed, errors: s.decode_errors,
    note: 'whole run' };
}

const rows = [];
rows.push(await attachRow());
const browser = await chromium.launch({ executablePath: process.env.RDK_CHROMIUM || '/usr/bin/chromium', args: FLAGS });
rows.push(await browserRow(browser, 'rdkernel web client (auto: vp8 + stills)', '?status=0', false));
rows.push(await browserRow(browser, 'rdkernel web client (stills: jpeg/png/webp/rgb)', '?status=0&encodings=rgb,png,jpeg,webp', false));
if (fs.existsSync(path.join(xpraWww, 'index.html'))) {
  rows.push(await browserRow(browser, 'stock Xpra 3.1.3 HTML5 client', 'index.html?sound=false&floating_menu=false&clipboard=false&printing=false&file_transfer=false', true));
}
await browser.close();
fs.rmSync(cacheDir, { recursive: true, force: true });

const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
console.log(`${WIDTH}x${HEIGHT} synthetic desktop, ws:// on loopback, ${seconds} s after ${warmup} s warm-up, ${os.cpus().length} cores`);
console.log('| client | draws/s | capture-to-paint p50 ms | p99 ms | client CPU % | server CPU % | decode errors |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${f(r.fps)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.cpu, 0)} | ${f(r.serverCpu, 0)} | ${r.errors} |`);
}
