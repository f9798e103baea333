//! The second door: a finding as the AWS SDK hands it over after GetFindings.
//!
//! The SDK's typed finding is written back into the camelCase document the wire carried (only
//! the fields triage reads) and goes through the same parser as a file. One parser means a
//! pulled finding and the same finding imported from an export cannot drift apart.

use aws_sdk_guardduty::types as gd;
use serde_json::{Value, json};

use super::Finding;
use super::parse::read_finding;

/// Converts a finding returned by the SDK.
///
/// # Errors
///
/// The reason the finding cannot be used (no id or no type), as for a file record.
pub fn from_sdk(finding: &gd::Finding) -> Result<Finding, String> {
    read_finding(&document(finding))
}

fn document(f: &gd::Finding) -> Value {
    json!({
        "id": f.id(),
        "type": f.r#type(),
        "accountId": f.account_id(),
        "region": f.region(),
        "arn": f.arn(),
        "title": f.title(),
        "severity": f.severity(),
        "createdAt": f.created_at(),
        "updatedAt": f.updated_at(),
        "resource": f.resource().map(resource),
        "service": f.service().map(service),
    })
}

fn resource(r: &gd::Resource) -> Value {
    json!({
        "resourceType": r.resource_type(),
        "instanceDetails": r.instance_details().map(|i| json!({
            "instanceId": i.instance_id(),
            "instanceType": i.instance_type(),
            "availabilityZone": i.availability_zone(),
            "imageId": i.image_id(),
            "tags": i.tags().iter().map(|t| json!({"key": t.key(), "value": t.value()}))
                .collect::<Vec<_>>(),
            "networkInterfaces": i.network_interfaces().iter().map(|n| json!({
                "vpcId": n.vpc_id(),
                "privateIpAddress": n.private_ip_address(),
                "privateIpAddresses": n.private_ip_addresses().iter()
                    .map(|p| json!({"privateIpAddress": p.private_ip_address()}))
                    .collect::<Vec<_>>(),
                "publicIp": n.public_ip(),
            })).collect::<Vec<_>>(),
        })),
    })
}

fn remote_ip(details: Option<&gd::RemoteIpDetails>) -> Value {
    details.map_or(
        Value::Null,
        |d| json!({"ipAddressV4": d.ip_address_v4(), "ipAddressV6": d.ip_address_v6()}),
    )
}

fn service(s: &gd::Service) -> Value {
    let action = s.action().map(|a| {
        json!({
            "dnsRequestAction": a.dns_request_action().map(|d| json!({
                "domain": d.domain(), "domainWithSuffix": d.domain_with_suffix(),
            })),
            "networkConnectionAction": a.network_connection_action().map(|n| json!({
                "remoteIpDetails": remote_ip(n.remote_ip_details()),
                "remotePortDetails": n.remote_port_details().map(|p| json!({"port": p.port()})),
            })),
            "portProbeAction": a.port_probe_action().map(|p| json!({
                "portProbeDetails": p.port_probe_details().iter()
                    .map(|d| json!({"remoteIpDetails": remote_ip(d.remote_ip_details())}))
                    .collect::<Vec<_>>(),
            })),
            "awsApiCallAction": a.aws_api_call_action()
                .map(|c| json!({"remoteIpDetails": remote_ip(c.remote_ip_details())})),
        })
    });
    json!({
        "action": action,
        "evidence": s.evidence().map(|e| json!({
            "threatIntelligenceDetails": e.threat_intelligence_details().iter()
                .map(|t| json!({"threatListName": t.threat_list_name()}))
                .collect::<Vec<_>>(),
        })),
        "archived": s.archived(),
        "count": s.count(),
        "eventFirstSeen": s.event_first_seen(),
        "eventLastSeen": s.event_last_seen(),
        "additionalInfo": s.additional_info()
            .map(|i| json!({"value": i.value(), "type": i.r#type()})),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_fields_triage_reads() {
        let finding = gd::Finding::builder()
            .id("f1")
            .r#type("Trojan:EC2/DropPoint")
            .account_id("123456789012")
            .region("us-east-1")
            .severity(5.0)
            .updated_at("2026-12-01T10:00:00.123Z")
            .resource(
                gd::Resource::builder()
                    .instance_details(
                        gd::InstanceDetails::builder()
                            .instance_id("i-1")
                            .tags(gd::Tag::builder().key("Name").value("db").build())
                            .build(),
                    )
                    .build(),
            )
            .service(
                gd::Service::builder()
                    .archived(true)
                    .count(7)
                    .action(
                        gd::Action::builder()
                            .network_connection_action(
                                gd::NetworkConnectionAction::builder()
                                    .remote_ip_details(
                                        gd::RemoteIpDetails::builder()
                                            .ip_address_v4("203.0.113.9")
                                            .build(),
                                    )
                                    .remote_port_details(
                                        gd::RemotePortDetails::builder().port(8443).build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .additional_info(
                        gd::ServiceAdditionalInfo::builder()
                            .value("{\"sample\":true}")
                            .build(),
                    )
                    .build(),
            )
            .build();
        let read = from_sdk(&finding).unwrap();
        assert_eq!(read.id, "f1");
        assert_eq!(read.instance.unwrap().name.as_deref(), Some("db"));
        assert_eq!(read.indicators[0].value, "203.0.113.9");
        assert_eq!(read.indicators[0].port, Some(8443));
        assert!(read.archived && read.sample);
        assert_eq!(read.event_count, Some(7));
        assert_eq!(
            crate::time::format(&read.updated_at.unwrap()),
            "2026-12-01T10:00:00.123Z"
        );
    }

    #[test]
    fn rejects_a_finding_without_type() {
        let finding = gd::Finding::builder().id("f1").build();
        assert_eq!(
            from_sdk(&finding).unwrap_err(),
            "finding f1 has no \"type\""
        );
    }
}
