import { Testing } from "cdktf";

// Adds cdktf's matchers (toHaveResourceWithProperties, ...) to Jest's expect; their types come
// from jest-matchers.d.ts.
Testing.setupJest();
