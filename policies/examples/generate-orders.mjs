#!/usr/bin/env node
// Generates policies/examples/orders.json: a realistic, deterministic order book for
// the README's main command, the docs and the benchmarks.
//
//   node policies/examples/generate-orders.mjs [COUNT] [--jsonl] > orders.json
//
// The mix: Tier 1 buyers (AIA), Tier 2 universities and firms under LPP, Tier 2 data
// centers that need licenses (and exhaust a country's allocation), Tier 3 destinations
// and Tier-3-headquartered subsidiaries, UVEU and NVEU holders, consumer GPUs, chips
// outside 3A090, model weights, ACM manufacturers, Tier 1 subsidiaries of Tier 2 parents,
// and a few invalid orders (typos a real book contains).
// A seeded generator keeps the output identical from run to run.

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 400);
const jsonl = args.includes("--jsonl");

let seed = 20250113;
function random() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

const tier1 = ["DE", "FR", "GB", "JP", "KR", "NL", "CA", "AU", "SE", "TW", "IE", "IT", "ES"];
const tier2 = ["MY", "IN", "AE", "SA", "SG", "BR", "MX", "IL", "PL", "CH", "ID", "VN", "TH", "TR", "PT", "ZA", "EG", "KE", "AR", "CL"];
const tier3 = ["CN", "RU", "IR", "MO", "HK", "BY", "VE"];
const chips = ["H100", "H200", "B200", "B300", "A100", "MI300X", "MI355X", "H100_NVL"];

function date(from = "2025-01-13", to = "2026-12-31") {
  const a = Date.parse(from);
  const b = Date.parse(to);
  return new Date(a + Math.floor(random() * ((b - a) / 86400000 + 1)) * 86400000).toISOString().slice(0, 10);
}

const makers = [
  // Tier 1 buyer headquartered in Tier 1: AIA, any size.
  [
    18,
    (id) => {
      const c = pick(tier1);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "acme-us",
        consignee: { id: `cloud-${c.toLowerCase()}-${between(1, 6)}`, headquarters: c },
        items: [{ item: pick(chips), quantity: between(100, 20000) }],
      };
    },
  ],
  // Tier 2 university or start-up: small orders under LPP, some going over it.
  [
    26,
    (id) => {
      const c = pick(tier2);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "acme-us",
        consignee: { id: `lab-${c.toLowerCase()}-${between(1, 12)}` },
        items: [{ item: pick(chips), quantity: between(10, 900) }],
      };
    },
  ],
  // Tier 2 data center: licensed volumes charged to the country allocation.
  [
    16,
    (id) => {
      const c = pick(["MY", "IN", "AE", "SA", "SG", "BR"]);
      return {
        id,
        date: date(),
        destination: c,
        exporter: pick(["acme-us", "chipco-us"]),
        consignee: { id: `dc-${c.toLowerCase()}-${between(1, 4)}`, name: "Regional data center" },
        items: [{ item: pick(["H100", "B200", "B300"]), quantity: between(2000, 12000) }],
      };
    },
  ],
  // Tier 3 destination or a Tier-3-headquartered subsidiary elsewhere.
  [
    8,
    (id) => {
      if (random() < 0.5) {
        const c = pick(tier3);
        return {
          id,
          date: date(),
          destination: c,
          consignee: { id: `buyer-${c.toLowerCase()}-${between(1, 5)}` },
          items: [{ item: pick(chips), quantity: between(1, 500) }],
        };
      }
      const c = pick(tier2);
      return {
        id,
        date: date(),
        destination: c,
        consignee: { id: `sub-${c.toLowerCase()}-of-cn`, headquarters: "CN" },
        items: [{ item: pick(chips), quantity: between(1, 500) }],
      };
    },
  ],
  // UVEU: a US hyperscaler building in Tier 2.
  [
    8,
    (id) => {
      const c = pick(tier2);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "acme-us",
        consignee: { id: "hyperscaler-us", headquarters: "US", statuses: ["UVEU"], capacityTpp: "40000000000" },
        items: [{ item: pick(["H100", "B200"]), quantity: between(500, 8000) }],
      };
    },
  ],
  // NVEU: a national data-center operator in its own country.
  [
    8,
    (id) => {
      const c = pick(["SA", "AE", "IN", "MY"]);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "chipco-us",
        consignee: { id: `nveu-${c.toLowerCase()}`, headquarters: c, statuses: ["NVEU"] },
        items: [{ item: "B200", quantity: between(2000, 20000) }],
      };
    },
  ],
  // Consumer GPUs, not designed or marketed for data centers.
  [
    6,
    (id) => {
      const c = pick([...tier2, ...tier3]);
      return {
        id,
        date: date(),
        destination: c,
        consignee: { id: `retail-${c.toLowerCase()}` },
        items: [{ tppPerUnit: between(4800, 6000), performanceDensity: "4.1", quantity: between(50, 3000), dataCenter: false, description: "consumer GPU" }],
      };
    },
  ],
  // Chips outside 3A090 (H20) and uncatalogued accelerators classified from their numbers.
  [
    4,
    (id) => {
      const c = pick([...tier2, ...tier3]);
      return random() < 0.5
        ? { id, date: date(), destination: c, consignee: { id: `buyer-${c.toLowerCase()}-h20` }, items: [{ item: "H20", quantity: between(100, 5000) }] }
        : {
            id,
            date: date(),
            destination: c,
            consignee: { id: `buyer-${c.toLowerCase()}-npu` },
            items: [{ tppPerUnit: between(1200, 9000), performanceDensity: pick(["2.5", "4.0", "6.1", "12.5"]), quantity: between(10, 800) }],
          };
    },
  ],
  // Model weights.
  [
    4,
    (id) => {
      const c = pick([...tier1, ...tier2, "CN"]);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "frontier-lab-us",
        consignee: { id: `partner-${c.toLowerCase()}`, headquarters: random() < 0.5 ? "US" : c },
        items: [{ modelWeights: { trainingOps: pick(["3e26", "1e26", "8e25", "5e26"]), openWeights: random() < 0.25 } }],
      };
    },
  ],
  // ACM: a private-sector manufacturer or storage site in Tier 2 (development, production
  // or storage before onward shipment), which the order states as a status.
  [
    3,
    (id) => {
      const c = pick(["MY", "VN", "TH", "MX", "IN"]);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "chipco-us",
        consignee: { id: `odm-${c.toLowerCase()}-${between(1, 3)}`, statuses: ["ACM_end_user"] },
        items: [{ item: pick(["H100", "B200"]), quantity: between(200, 4000) }],
      };
    },
  ],
  // A Tier 1 location whose ultimate parent is headquartered in Tier 2: no AIA.
  [
    3,
    (id) => {
      const c = pick(tier1);
      const hq = pick(["IN", "AE", "SG", "BR"]);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "acme-us",
        consignee: { id: `sub-${c.toLowerCase()}-of-${hq.toLowerCase()}`, headquarters: hq },
        items: [{ item: pick(chips), quantity: between(50, 3000) }],
      };
    },
  ],
  // The US hyperscaler with UVEU building in Tier 1: AIA, counted toward its 50 % in the US.
  [
    3,
    (id) => {
      const c = pick(tier1);
      return {
        id,
        date: date(),
        destination: c,
        exporter: "acme-us",
        consignee: { id: "hyperscaler-us", headquarters: "US", statuses: ["UVEU"], capacityTpp: "40000000000" },
        items: [{ item: pick(["H100", "B200"]), quantity: between(500, 8000) }],
      };
    },
  ],
  // Invalid orders: the mistakes a real book contains.
  [
    2,
    (id) => {
      const broken = [
        { id, date: "2025-02-30", destination: "MY", consignee: { id: "lab-my-1" }, items: [{ item: "H100", quantity: 10 }] },
        { id, date: date(), destination: "XX", consignee: { id: "lab-xx" }, items: [{ item: "H100", quantity: 10 }] },
        { id, date: date(), destination: "IN", consignee: { id: "lab-in-1" }, items: [{ item: "H1OO", quantity: 10 }] },
        { id, date: date(), destination: "SG", consignee: { id: "lab-sg-1" }, items: [{ item: "B200", quantity: -5 }] },
        { id, date: date(), destination: "BR", items: [{ item: "A100", quantity: 3 }] },
        { id, date: date(), destination: "MX", consignee: { id: "lab-mx-1" }, items: [{ item: "H100", quantity: 2.5 }] },
        { id, date: date(), destination: "AE", consignee: { id: "dc-ae-1" }, items: [{ item: "H100", quantity: 4 }], destinaton: "AE" },
      ];
      return pick(broken);
    },
  ],
];
const total = makers.reduce((s, [w]) => s + w, 0);

const orders = [];
for (let i = 1; i <= count; i++) {
  let r = random() * total;
  const [, make] = makers.find(([w]) => (r -= w) < 0) ?? makers[0];
  orders.push(make(`ord-${String(i).padStart(String(count).length, "0")}`));
}

if (jsonl) process.stdout.write(orders.map((o) => JSON.stringify(o)).join("\n") + "\n");
else process.stdout.write("[\n" + orders.map((o) => "  " + JSON.stringify(o)).join(",\n") + "\n]\n");
