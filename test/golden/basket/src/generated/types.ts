// @generated — do not edit. Made by `mcp-stateless generate` from the spec; run it again after editing the spec.
/** The types handlers in src/handlers/ are written against, derived from the spec's zod schemas. */
import type { z } from "zod";
import type spec from "../../mcp.spec.ts";
import type { Ask, InputResponses } from "./handles/ask.ts";

export type { Ask };

type Spec = typeof spec;
type Tools = Spec["tools"];

/** State behind a basket handle: A shopping basket being filled. */
export type BasketState = z.output<Spec["handles"]["basket"]["state"]>;

export interface CallContext {
  /** Who is calling: the owner of every handle this request creates or opens. */
  principal: string;
  /** Aborts when the caller stops waiting (the client goes away or cancels): hand it to slow work. */
  signal: AbortSignal;
  /**
   * Tells the caller how far a slow call has got (`progress` rising each time, `total` when known),
   * when it asked to be told; otherwise it does nothing.
   */
  progress: (progress: number, total?: number, message?: string) => Promise<void>;
  /**
   * The client's answers, keyed as asked, when it calls again after the handler returned
   * `ask(...)` (from ./handles/ask.ts): a form's is read and checked with
   * `acceptedContent(answers, key, schema)`. Sent by the client: check before trusting.
   */
  answers?: InputResponses;
  /** What the handler asked to `remember` when it asked, back from the client with its signature checked. */
  remembered?: unknown;
}

export type AddItemInput = z.output<Tools["add_item"]["input"]>;
export type AddItemOutput = z.output<Tools["add_item"]["output"]>;
/**
 * `add_item` works on a basket handle. Its new `state` is saved only if no other call saved the basket
 * meanwhile; if one did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type AddItemHandler = (call: { input: AddItemInput; state: BasketState; handle: string } & CallContext) => Promise<{ output: AddItemOutput; state?: BasketState } | Ask>;

export type CheckoutInput = Record<string, never>;
export type CheckoutOutput = z.output<Tools["checkout"]["output"]>;
/**
 * `checkout` ends a basket handle. It ends the basket only if no other call saved it meanwhile; if one
 * did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type CheckoutHandler = (call: { input: CheckoutInput; state: BasketState; handle: string } & CallContext) => Promise<{ output: CheckoutOutput } | Ask>;

export type CreateBasketInput = z.output<Tools["create_basket"]["input"]>;
/** `create_basket` creates a basket handle. */
export type CreateBasketHandler = (call: { input: CreateBasketInput } & CallContext) => Promise<{ state: BasketState; text?: string } | Ask>;

export type ViewBasketInput = Record<string, never>;
export type ViewBasketOutput = z.output<Tools["view_basket"]["output"]>;
/**
 * `view_basket` works on a basket handle. Its new `state` is saved only if no other call saved the basket
 * meanwhile; if one did, it runs again on the newer state, so keep other effects safe to repeat.
 */
export type ViewBasketHandler = (call: { input: ViewBasketInput; state: BasketState; handle: string } & CallContext) => Promise<{ output: ViewBasketOutput; state?: BasketState } | Ask>;
