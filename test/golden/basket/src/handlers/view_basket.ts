import type { ViewBasketHandler } from "../generated/types.ts";

/** `view_basket` works on a basket handle and changes nothing. */
export const viewBasket: ViewBasketHandler = async ({ state }) => {
  return { output: { currency: state.currency, items: state.items } };
};
