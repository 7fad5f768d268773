// Preloaded into kinesis-local (NODE_OPTIONS=--require): the server has no setting for its listen address and
// listens on every interface, so a listen(port[, callback]) without a host gets KINESIS_BIND_HOST (127.0.0.1).
"use strict";
const net = require("net");

const host = process.env.KINESIS_BIND_HOST || "127.0.0.1";
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnBindHost(...args) {
  const portOnly = typeof args[0] === "number" && (args.length === 1 || typeof args[1] === "function");
  if (portOnly) args.splice(1, 0, host);
  return listen.apply(this, args);
};
