//! The synthetic EC2 instances generated findings are about.
//!
//! Grouping by instance is the product's main view, so generated findings share a pool of
//! instances, each with stable ids, a Name tag and one network interface.

use serde_json::{Value, json};

use crate::ids::hex32;

/// One synthetic EC2 instance.
pub(super) struct Instance {
    pub(super) id: String,
    name: String,
    instance_type: &'static str,
    availability_zone: String,
    image_id: String,
    eni_id: String,
    pub(super) private_ip: String,
    public_ip: String,
    subnet_id: String,
    vpc_id: String,
    security_group_id: String,
}

impl Instance {
    pub(super) fn new(region: &str, seed: u64, k: usize) -> Self {
        let hex = hex32(&[
            b"instance",
            region.as_bytes(),
            &seed.to_le_bytes(),
            &k.to_le_bytes(),
        ]);
        let roles = [
            "web", "api", "worker", "batch", "bastion", "build", "cache", "etl",
        ];
        let types = [
            "t3.medium",
            "m5.large",
            "c5.xlarge",
            "r6g.large",
            "t3.micro",
        ];
        Self {
            id: format!("i-{}", &hex[..17]),
            name: format!("{}-{:02}", roles[k % roles.len()], k / roles.len() + 1),
            instance_type: types[k % types.len()],
            availability_zone: format!("{}{}", region, ["a", "b", "c"][k % 3]),
            image_id: format!("ami-{}", &hex[15..32]),
            eni_id: format!("eni-{}", &hex[8..25]),
            private_ip: format!("10.{}.{}.{}", k / 65_536 % 256, k / 256 % 256, k % 256),
            public_ip: format!("198.51.100.{}", 1 + k % 254),
            subnet_id: format!("subnet-{}", &hex[..17]),
            vpc_id: format!("vpc-{}", &hex[..8]),
            security_group_id: format!("sg-{}", &hex[4..21]),
        }
    }

    pub(super) fn resource(&self) -> Value {
        let private_dns = format!("ip-{}.ec2.internal", self.private_ip.replace('.', "-"));
        json!({
            "resourceType": "Instance",
            "instanceDetails": {
                "instanceId": self.id,
                "instanceType": self.instance_type,
                "instanceState": "running",
                "availabilityZone": self.availability_zone,
                "imageId": self.image_id,
                "imageDescription": "Synthetic image",
                "launchTime": "2025-01-15T08:00:00.000Z",
                "platform": null,
                "tags": [
                    {"key": "Name", "value": self.name},
                    {"key": "Environment", "value": "production"}
                ],
                "networkInterfaces": [{
                    "networkInterfaceId": self.eni_id,
                    "privateDnsName": private_dns,
                    "privateIpAddress": self.private_ip,
                    "privateIpAddresses": [
                        {"privateDnsName": private_dns, "privateIpAddress": self.private_ip}
                    ],
                    "publicDnsName": format!("ec2-{}.compute.example", self.public_ip.replace('.', "-")),
                    "publicIp": self.public_ip,
                    "subnetId": self.subnet_id,
                    "vpcId": self.vpc_id,
                    "securityGroups": [{"groupId": self.security_group_id, "groupName": "default"}],
                    "ipv6Addresses": []
                }]
            }
        })
    }
}
