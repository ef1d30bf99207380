import type { ReadCounterHandler } from "../generated/types.ts";

export const readCounter: ReadCounterHandler = async ({ state }) => ({ output: { value: state.value } });
