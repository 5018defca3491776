declare const checked: unique symbol;

/**
 * A value from the file (a Kubernetes object, a list of them, a scalar) that binding has checked
 * holds no text Argo would read as its own: no `{{`, no Jinja to translate. Only `checkPlain`
 * (src/check/bind/plain.ts) makes one, so lowering can copy it into the manifest as it is.
 */
export type Checked<T = Record<string, unknown>> = T & { readonly [checked]: true };
