// A portal page written for these tests: it calls the three vendor endpoints the way the vendor
// scripts do (fixed hosts and ports, wss, their frames), in our own code. Served at the demo
// portal's origin so the browser sends that Origin.
export const COMPAT_PAGE = `<!doctype html><meta charset="utf-8"><title>compat</title>
<script>
// VGCA: a new socket per call to wss://127.0.0.1:8987/<Endpoint>, one frame, the first reply.
window.vgca = (endpoint, frame) => new Promise((resolve, reject) => {
  const ws = new WebSocket('wss://127.0.0.1:8987/' + endpoint);
  ws.onopen = () => ws.send(frame);
  ws.onmessage = (e) => { resolve(e.data); ws.close(); };
  ws.onerror = () => reject(new Error('vgca socket error'));
});
// VNPT-CA: one reused socket to wss://localhost:4433/plugin; "<result>*<callback>" replies.
let vnptSocket;
window.vnpt = (functionID, args) => new Promise((resolve, reject) => {
  const send = () => {
    vnptSocket.onmessage = (e) => resolve(String(e.data).split('*'));
    vnptSocket.send(JSON.stringify({ functionID, funcCallback: 'callbackDefault', args, domain: location.hostname }));
  };
  if (vnptSocket && vnptSocket.readyState === 1) return send();
  vnptSocket = new WebSocket('wss://localhost:4433/plugin');
  vnptSocket.onopen = send;
  vnptSocket.onerror = () => reject(new Error('vnpt socket error'));
});
// BkavCA: Connect once to wss://localhost:8443, then "ID*args*BkavExtensionCallback*end" frames.
let bkavSocket;
window.bkavConnect = () => new Promise((resolve) => {
  bkavSocket = new WebSocket('wss://localhost:8443');
  bkavSocket.onopen = () => resolve('1');
  bkavSocket.onerror = () => resolve('0');
});
window.bkav = (id, args) => new Promise((resolve) => {
  bkavSocket.onmessage = (e) => resolve(String(e.data).split('*').slice(0, -2).join('*'));
  bkavSocket.send([id, ...args, 'BkavExtensionCallback', 'end'].join('*'));
});
</script><body>compat</body>`;
