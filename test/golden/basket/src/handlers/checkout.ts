import { randomUUID } from "node:crypto";
import type { CheckoutHandler } from "../generated/types.ts";

/** `checkout` ends a basket handle: a real shop would place the order here. */
export const checkout: CheckoutHandler = async ({ state }) => {
  const item_count = state.items.reduce((sum, item) => sum + item.quantity, 0);
  return { output: { order_id: `ord_${randomUUID()}`, item_count } };
};
