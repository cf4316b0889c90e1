/** Version of the clinical rules; stored with every evaluation so a result can be traced to its rules. */
export const ENGINE_VERSION = '0.1.0';
