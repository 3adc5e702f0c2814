/// <reference types="@remix-run/node" />
import "@remix-run/server-runtime";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    cspNonce?: string;
    /** The X-Request-Id of this request (shown on error pages). */
    requestId?: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
