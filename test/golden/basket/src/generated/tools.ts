// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/**
 * What every request's server registers: names, descriptions, schemas, annotations.
 * Built once when the module loads, because none of it changes between requests.
 */
import { z } from "zod";
import spec from "../../mcp.spec.ts";
import type { HandleKind } from "./handles/handles.ts";
import { convertedOnce } from "./handles/schemas.ts";

/** The spec's handle kinds, with the lifetimes their create tools promise. */
export const kinds = {
  basket: {
    name: "basket",
    prefix: "bsk",
    ttlMs: 3600000,
    createTool: "create_basket",
    lifetime: "1 hour",
  },
} satisfies Record<string, HandleKind>;

export const allKinds: readonly HandleKind[] = Object.values(kinds);

/** The `basket_id` parameter. Any non-empty string passes here; the runtime explains what is wrong with a bad one. */
const basketId = z.string().min(1).meta({"description":"Handle of a basket (A shopping basket being filled), as returned by create_basket.","x-mcp-handle":{"kind":"basket","prefix":"bsk_","createdBy":["create_basket"]}});

export const addItemTool = {
  description: "Add a quantity of a product to the basket.\n\nTakes basket_id, a basket handle from create_basket.",
  inputSchema: convertedOnce(z.object({ basket_id: basketId, ...spec.tools.add_item.input.shape })),
  outputSchema: convertedOnce(spec.tools.add_item.output),
};

export const checkoutTool = {
  description: "Place the order for everything in the basket. The basket is gone afterwards.\n\nTakes basket_id, a basket handle from create_basket. The handle is no longer valid afterwards.",
  inputSchema: convertedOnce(z.object({ basket_id: basketId })),
  outputSchema: convertedOnce(spec.tools.checkout.output),
  annotations: {"destructiveHint":true,"idempotentHint":false,"readOnlyHint":false},
};

export const createBasketTool = {
  description: "Start a new, empty shopping basket.\n\nReturns basket_id, a handle to the new basket that expires 1 hour after it is created. Pass it to add_item, view_basket, checkout.",
  inputSchema: convertedOnce(spec.tools.create_basket.input),
  outputSchema: convertedOnce(z.object({ basket_id: z.string().meta({"description":"Handle of the new basket; valid for 1 hour.","x-mcp-handle":{"kind":"basket","prefix":"bsk_"}}) })),
  annotations: {"destructiveHint":false,"idempotentHint":false,"readOnlyHint":false},
};

export const viewBasketTool = {
  description: "Show what is in the basket.\n\nTakes basket_id, a basket handle from create_basket.",
  inputSchema: convertedOnce(z.object({ basket_id: basketId })),
  outputSchema: convertedOnce(spec.tools.view_basket.output),
  annotations: {"readOnlyHint":true},
};
