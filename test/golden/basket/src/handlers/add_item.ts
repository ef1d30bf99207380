import type { AddItemHandler } from "../generated/types.ts";

/** `add_item` works on a basket handle: adding a product already there raises its quantity. */
export const addItem: AddItemHandler = async ({ input, state }) => {
  const existing = state.items.find((item) => item.sku === input.sku);
  const items = existing
    ? state.items.map((item) => (item === existing ? { ...item, quantity: item.quantity + input.quantity } : item))
    : [...state.items, { sku: input.sku, quantity: input.quantity }];
  const item_count = items.reduce((sum, item) => sum + item.quantity, 0);
  return { output: { item_count }, state: { ...state, items } };
};
