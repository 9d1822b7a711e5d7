// Preloaded (node --require) into a tool that has no host option, such as the Microsoft 365 Agents
// Playground, which listens on every interface: a server told only a port listens on 127.0.0.1 instead.
'use strict';
const net = require('node:net');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, 0, LOOPBACK);
  } else if (first && typeof first === 'object' && !('path' in first) && !('fd' in first) && !('_handle' in first)) {
    if (first.host === undefined) args[0] = { ...first, host: LOOPBACK };
  } else if (first === undefined || typeof first === 'function') {
    args.unshift(0, LOOPBACK);
  }
  return listen.apply(this, args);
};
