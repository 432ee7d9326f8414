//! MS-MDE2 enrollment: discovery, MS-XCEP policy, MS-WSTEP certificate
//! enrollment, the wap-provisioningdoc, and SOAP faults.
//!
//! Sources: on-premise-authentication-device-enrollment.md and
//! federated-authentication-device-enrollment.md. Decoders are namespace
//! agnostic (local names) because the examples mix SOAP 1.1 and 1.2 envelopes
//! and default/prefixed namespaces; encoders always emit SOAP 1.2.

pub mod discovery;
pub mod fault;
pub mod policy;
pub mod provisioning;
pub mod soap;
pub mod wstep;

pub use discovery::{AuthPolicy, DiscoverRequest, DiscoverResponse};
pub use fault::{Fault, FaultCode};
pub use policy::{GetPoliciesRequest, HashAlgorithm, PolicyResponse};
pub use provisioning::ProvisioningDoc;
pub use soap::{Credentials, EnrollmentError, SoapHeader};
pub use wstep::{RstRequest, RstrResponse};
