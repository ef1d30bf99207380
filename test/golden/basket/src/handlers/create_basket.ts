import type { CreateBasketHandler } from "../generated/types.ts";

/** `create_basket` creates a basket handle: the new basket starts empty. */
export const createBasket: CreateBasketHandler = async ({ input }) => {
  return { state: { currency: input.currency, items: [] } };
};
