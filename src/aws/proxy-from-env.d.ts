// proxy-from-env ships no type declarations; its one function, as documented.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY / ALL_PROXY (any case), or '' when none or NO_PROXY matches. */
  export function getProxyForUrl(url: string | URL): string;
}
