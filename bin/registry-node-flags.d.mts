export declare const REGISTRY_NODE_FLAGS: readonly string[];
