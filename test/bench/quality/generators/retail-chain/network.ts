// Which NetFlow v9 exporters a conversation crosses, and in what order.
//
// Exporters: every shop router (it routes between the shop's VLANs, to the
// WAN and out of the shop's own broadband line) and the data-centre core.
// All export ingress flows on every interface, so each direction of a
// conversation is recorded once per exporter it crosses:
// - inside one shop, between two VLANs: the shop router only (two devices
//   of one VLAN talk through the access switch and are seen by nobody; the
//   model has no such use, so nothing is lost);
// - shop ↔ data centre: the shop router and the core (exported twice);
// - shop ↔ another shop: the WAN is hub-and-spoke (IPsec tunnels to the
//   head-end behind the core), so the first shop's router, the core and the
//   second shop's router (three times);
// - shop ↔ internet: the shop router only, which translates the source to
//   the shop's broadband address; the return direction enters the router on
//   its outside interface and is recorded before un-translation, so its
//   destination is that public address and the translated port;
// - inside the data centre: the core only. The data centre is a collapsed
//   core (a Nexus pair with fabric extenders), so even two servers of one
//   VLAN switch through it, and the flow monitor is applied per VLAN;
// - data centre ↔ internet: the core (the internet firewall sits beyond it
//   and has already translated inbound e-commerce traffic to the web
//   servers' own addresses).
import type { Endpoint, Estate, Exporter, Host, Shop } from './estate';

export interface Hop {
  readonly exporter: Exporter;
  /** One-way delay (ms) from the client to this exporter, and from the server to it. */
  readonly fromClient: number;
  readonly fromServer: number;
  /** The broadband address this exporter translates the client to (shop ↔ internet), else null. */
  readonly natAddress: string | null;
}

function shopOf(endpoint: Endpoint): Shop | null {
  return endpoint.external ? null : (endpoint as Host).site.shop;
}

const LOCAL = 1;

export function pathOf(estate: Estate, client: Endpoint, server: Endpoint): Hop[] {
  const a = shopOf(client);
  const b = shopOf(server);
  const core = estate.core;
  if (client.external && server.external) return [];
  if (a !== null && b !== null) {
    if (a === b) return (client as Host).vlan === (server as Host).vlan ? [] : [{ exporter: a.exporter, fromClient: LOCAL, fromServer: LOCAL, natAddress: null }];
    return [
      { exporter: a.exporter, fromClient: LOCAL, fromServer: a.wanLatencyMs + b.wanLatencyMs, natAddress: null },
      { exporter: core, fromClient: a.wanLatencyMs, fromServer: b.wanLatencyMs, natAddress: null },
      { exporter: b.exporter, fromClient: a.wanLatencyMs + b.wanLatencyMs, fromServer: LOCAL, natAddress: null },
    ];
  }
  if (a !== null) {
    if (server.external) return [{ exporter: a.exporter, fromClient: LOCAL, fromServer: 12, natAddress: a.publicIp }];
    return [
      { exporter: a.exporter, fromClient: LOCAL, fromServer: a.wanLatencyMs, natAddress: null },
      { exporter: core, fromClient: a.wanLatencyMs, fromServer: LOCAL, natAddress: null },
    ];
  }
  if (b !== null) {
    // Nothing outside opens connections into a shop.
    if (client.external) return [];
    return [
      { exporter: core, fromClient: LOCAL, fromServer: b.wanLatencyMs, natAddress: null },
      { exporter: b.exporter, fromClient: b.wanLatencyMs, fromServer: LOCAL, natAddress: null },
    ];
  }
  // The internet is some 15 ms beyond the core.
  return [{ exporter: core, fromClient: client.external ? 15 : LOCAL, fromServer: server.external ? 15 : LOCAL, natAddress: null }];
}
