// Preloaded into the CLI by the offline test (node --require): every way a
// Node process can reach the network throws, and each attempt is appended to
// FLOWFENCE_NETWORK_LOG so the test can assert that none was made.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');
const dns = require('node:dns');
const dgram = require('node:dgram');
const http = require('node:http');
const https = require('node:https');

const log = process.env.FLOWFENCE_NETWORK_LOG;
function refuse(what) {
  return function refused() {
    if (log) fs.appendFileSync(log, `${what}\n`);
    throw new Error(`network refused by test: ${what}`);
  };
}

net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = refuse('net.connect');
net.createConnection = refuse('net.createConnection');
tls.connect = refuse('tls.connect');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveSrv', 'resolveTxt']) {
  dns[name] = refuse(`dns.${name}`);
  dns.promises[name] = refuse(`dns.promises.${name}`);
}
dgram.Socket.prototype.send = refuse('dgram.send');
dgram.Socket.prototype.connect = refuse('dgram.connect');
http.request = refuse('http.request');
http.get = refuse('http.get');
https.request = refuse('https.request');
https.get = refuse('https.get');
globalThis.fetch = refuse('fetch');
if (typeof globalThis.WebSocket === 'function') globalThis.WebSocket = refuse('WebSocket');
