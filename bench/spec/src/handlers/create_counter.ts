import type { CreateCounterHandler } from "../generated/types.ts";

export const createCounter: CreateCounterHandler = async () => ({ state: { value: 0 } });
