import { ApiObject, type ApiObjectMetadata } from "cdk8s";
import { type Construct } from "constructs";

/** The props of a typed object of a CRD kind: its metadata and the spec fields the project sets. */
export interface CrdObjectProps<S> {
  readonly metadata: ApiObjectMetadata;
  readonly spec: S;
}

/**
 * The base class of a typed object of one CRD kind: `class NodePool extends crdKind<NodePoolSpec>(…)`.
 * The spec type is the contract with the CRD, written from its schema for the fields used.
 */
export function crdKind<S>(gvk: { readonly apiVersion: string; readonly kind: string }) {
  return class extends ApiObject {
    constructor(scope: Construct, id: string, props: CrdObjectProps<S>) {
      super(scope, id, { ...gvk, metadata: props.metadata, spec: props.spec });
    }
  };
}
