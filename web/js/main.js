// The page: reads its settings from the URL, shows messages, the password prompt and the status
// overlay, and starts the client. URL parameters (all optional):
//   server, port, path   where the WebSocket is (default: this page's own host, port and "/")
//   ssl=1                wss:// even on an http page (default: wss:// on https pages)
//   password, username   for servers that ask (default: a prompt when asked)
//   encodings=a,b        offer only these (e.g. png, rgb, vp8), default: all that decode here
//   status=0             hide the status overlay
//   reconnect=0          do not reconnect after a drop
//   sound=0              do not ask for the server's sound (default: played where the browser
//                        decodes Opus, from the first click or key press if it blocks autoplay)

import { Client } from './client.js';

const params = new URLSearchParams(location.search);
const get = (name, fallback = '') => params.get(name) ?? fallback;
const flag = (name, fallback) => (params.has(name) ? !/^(0|false|no|off)$/i.test(params.get(name)) : fallback);

const secure = flag('ssl', location.protocol === 'https:');
const host = get('server', location.hostname);
const port = get('port', location.port);
const path = get('path', '/');
const url = `${secure ? 'wss' : 'ws'}://${host.includes(':') ? '[' + host + ']' : host}${port ? ':' + port : ''}${path.startsWith('/') ? path : '/' + path}`;

const messageEl = document.getElementById('message');
const statusEl = document.getElementById('status');
const loginEl = document.getElementById('login');
const screenEl = document.getElementById('screen');
if (!flag('status', true)) statusEl.hidden = true;

let asking = null;
const ui = {
  message(textValue, kind) {
    messageEl.textContent = textValue;
    messageEl.className = 'message ' + (kind || 'info');
    messageEl.hidden = !textValue;
  },
  status(s) {
    statusEl.textContent = s.text;
  },
  busy() {
    return asking !== null;
  },
  askPassword(prompt) {
    loginEl.hidden = false;
    document.getElementById('login-prompt').textContent = prompt;
    const input = document.getElementById('login-password');
    input.value = '';
    input.focus();
    return new Promise((resolve) => {
      asking = resolve;
    });
  },
};

loginEl.addEventListener('submit', (e) => {
  e.preventDefault();
  const value = document.getElementById('login-password').value;
  loginEl.hidden = true;
  const resolve = asking;
  asking = null;
  resolve?.(value);
});

const encodings = get('encodings') ? get('encodings').split(',').map((s) => s.trim()).filter(Boolean) : null;
const client = new Client({
  url,
  password: get('password'),
  username: get('username'),
  encodings,
  screen: screenEl,
  ui,
  reconnect: flag('reconnect', true),
  sound: flag('sound', true),
});
window.rdkClient = client;  // for tests and the console
client.start().catch((e) => ui.message('cannot start: ' + e.message, 'error'));
