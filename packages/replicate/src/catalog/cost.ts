import { AppError, assertNever } from "@replibot/core";
import type { Billing } from "./catalog.ts";
import {
  addDecimal,
  type Decimal,
  decimalFromBigInt,
  formatDecimal,
  mulDecimal,
  parseDecimal,
  shiftDecimal,
  usdToNanosCeil,
} from "./decimal.ts";

/** What a cost line counts. */
export type CostUnit = "input_token" | "output_token" | "image" | "second";

/** One priced quantity; decimals as exact strings so a ledger row can store them as they are. */
export interface CostLine {
  unit: CostUnit;
  quantity: string;
  usdPerUnit: string;
  /** quantity × usdPerUnit, exact, before any rounding. */
  usd: string;
}

/** How a cost was reached, for the ledger row: units, prices and the price list they come from. */
export interface CostBreakdown {
  billing: Billing["kind"];
  /** The hardware SKU for time-billed models. */
  hardware?: string;
  priceListDate: string;
  priceNote?: string;
  lines: CostLine[];
  /** The exact total in USD; `costNanos` is this rounded up once. */
  exactUsd: string;
  /** Anything estimated or missing, in words. */
  notes: string[];
}

/** A cost in nano-dollars and how it was computed. */
export interface CostResult {
  costNanos: bigint;
  breakdown: CostBreakdown;
}

/** Quantities to price, matching the billing kind. */
export type Usage =
  | { kind: "tokens"; inputTokens: bigint; outputTokens: bigint }
  | { kind: "images"; images: bigint }
  | { kind: "hardware"; seconds: Decimal };

/** Prices `usage` under `billing` exactly and rounds up to the nano-dollar once, at the end. */
export function priceUsage(billing: Billing, usage: Usage, notes: string[] = []): CostResult {
  if (usage.kind !== billing.kind) {
    throw new AppError("internal", `usage of kind ${usage.kind} cannot be priced as ${billing.kind}`);
  }
  const lines: Array<{ unit: CostUnit; quantity: Decimal; usdPerUnit: Decimal }> = [];
  switch (billing.kind) {
    case "tokens": {
      const { inputTokens, outputTokens } = usage as Extract<Usage, { kind: "tokens" }>;
      const perToken = (usdPerMillion: string) => shiftDecimal(parseDecimal(usdPerMillion), 6);
      lines.push(
        {
          unit: "input_token",
          quantity: decimalFromBigInt(inputTokens),
          usdPerUnit: perToken(billing.inputUsdPerMillionTokens),
        },
        {
          unit: "output_token",
          quantity: decimalFromBigInt(outputTokens),
          usdPerUnit: perToken(billing.outputUsdPerMillionTokens),
        },
      );
      break;
    }
    case "images": {
      const { images } = usage as Extract<Usage, { kind: "images" }>;
      lines.push({
        unit: "image",
        quantity: decimalFromBigInt(images),
        usdPerUnit: parseDecimal(billing.usdPerImage),
      });
      break;
    }
    case "hardware": {
      const { seconds } = usage as Extract<Usage, { kind: "hardware" }>;
      lines.push({ unit: "second", quantity: seconds, usdPerUnit: parseDecimal(billing.usdPerSecond) });
      break;
    }
    default:
      return assertNever(billing);
  }
  const priced = lines.map((line) => ({ ...line, usd: mulDecimal(line.quantity, line.usdPerUnit) }));
  const total = priced.reduce<Decimal>((sum, line) => addDecimal(sum, line.usd), { units: 0n, scale: 0 });
  return {
    costNanos: usdToNanosCeil(total),
    breakdown: {
      billing: billing.kind,
      ...(billing.kind === "hardware" ? { hardware: billing.hardware } : {}),
      priceListDate: billing.priceListDate,
      ...(billing.priceNote === undefined ? {} : { priceNote: billing.priceNote }),
      lines: priced.map((line) => ({
        unit: line.unit,
        quantity: formatDecimal(line.quantity),
        usdPerUnit: formatDecimal(line.usdPerUnit),
        usd: formatDecimal(line.usd),
      })),
      exactUsd: formatDecimal(total),
      notes,
    },
  };
}
