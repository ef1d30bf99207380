// Runs a fixture project's own tests from inside this repository, without this repository's config.
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/**/*.test.ts"] } });
