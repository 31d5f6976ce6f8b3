// The part of oidc-provider 8 (which ships no type declarations) that the sign-in tests use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    /** The request listener serving the provider's endpoints. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
