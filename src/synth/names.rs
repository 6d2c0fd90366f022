//! Word lists the synthetic organisation is named from. Plain, plausible
//! words, so the dashboard and search see text shaped like a real company's.

pub const FIRST_NAMES: &[&str] = &[
    "Dana", "Lee", "Amara", "Ben", "Chen", "Tomás", "Beatriz", "Yuki", "Priya", "Omar", "Ingrid",
    "Kwame", "Sofia", "Mateo", "Aisha", "Lars", "Mei", "Jonas", "Fatima", "Diego", "Hana", "Ravi",
    "Zoe", "Nikolai", "Leila", "Samuel", "Elif", "Marco", "Nia", "Oskar", "Rosa", "Tariq", "Ulla",
    "Victor", "Wen", "Ximena", "Yusuf", "Zara", "Helen", "Arjun",
];

pub const LAST_NAMES: &[&str] = &[
    "Ruiz",
    "Park",
    "Okafor",
    "Herrera",
    "Santos",
    "O'Connell",
    "Tanaka",
    "Marsh",
    "Mehta",
    "Nakamura",
    "Schmidt",
    "Mensah",
    "Rossi",
    "García",
    "Haddad",
    "Larsen",
    "Wang",
    "Becker",
    "Khan",
    "Silva",
    "Kim",
    "Iyer",
    "Novak",
    "Ivanova",
    "Rahimi",
    "Adeyemi",
    "Yılmaz",
    "Bianchi",
    "Achieng",
    "Lindqvist",
    "Moreno",
    "Aziz",
    "Virtanen",
    "Dubois",
    "Zhou",
    "Castillo",
    "Demir",
    "Abebe",
    "Fischer",
    "Patel",
];

/// Business domains: product teams and their components are named from these.
pub const DOMAINS: &[&str] = &[
    "checkout",
    "payments",
    "catalog",
    "search",
    "storefront",
    "fulfillment",
    "loyalty",
    "pricing",
    "inventory",
    "shipping",
    "returns",
    "reviews",
    "recommendations",
    "identity",
    "accounts",
    "billing",
    "invoicing",
    "subscriptions",
    "notifications",
    "messaging",
    "ads",
    "marketing",
    "growth",
    "onboarding",
    "support",
    "partners",
    "merchants",
    "wallet",
    "fraud",
    "risk",
    "tax",
    "ledger",
    "booking",
    "maps",
    "media",
    "content",
    "cms",
    "mobile",
    "promotions",
    "cart",
    "orders",
    "warehouse",
    "procurement",
    "payroll",
    "hr",
    "crm",
    "sales",
    "quotes",
    "contracts",
    "insurance",
    "claims",
    "lending",
    "savings",
    "cards",
    "rewards",
    "gifting",
    "travel",
    "events",
    "tickets",
    "delivery",
    "dispatch",
    "routing",
    "fleet",
    "vendors",
    "sellers",
    "auctions",
    "chat",
    "feeds",
];

/// What a product team's name adds to its domain.
pub const TEAM_FACETS: &[&str] = &[
    "core",
    "api",
    "web",
    "mobile",
    "experience",
    "integrations",
    "backend",
    "growth",
    "ops",
    "intelligence",
    "foundations",
    "journeys",
    "services",
    "tools",
];

pub const PLATFORM_AREAS: &[&str] = &[
    "infra",
    "data",
    "devex",
    "streaming",
    "networking",
    "compute",
    "storage",
    "observability",
    "ci",
    "delivery",
    "runtime",
    "mesh",
    "identity",
    "secrets",
    "edge",
    "databases",
    "kubernetes",
    "cloud",
    "release",
    "build",
    "testing",
    "cost",
    "caching",
    "messaging",
    "dns",
    "gateway",
    "workflows",
    "scheduling",
    "backup",
    "artifacts",
];

pub const OPERATIONS_TEAMS: &[&str] = &[
    "sre",
    "noc",
    "incident-response",
    "capacity",
    "reliability",
    "production-engineering",
    "service-desk",
];
pub const SECURITY_TEAMS: &[&str] = &[
    "security-eng",
    "appsec",
    "cloudsec",
    "security-ops",
    "iam",
    "detection",
    "red-team",
    "vuln-management",
];
pub const COMPLIANCE_TEAMS: &[&str] = &["grc", "audit", "privacy", "regulatory", "pci-scope"];
pub const ARCHITECTURE_TEAMS: &[&str] = &[
    "architecture",
    "enterprise-architecture",
    "solution-architecture",
];
pub const DATA_TEAMS: &[&str] = &[
    "data-eng",
    "ml-platform",
    "analytics",
    "bi",
    "data-science",
    "experimentation",
    "data-governance",
];
pub const LEADERSHIP_TEAMS: &[&str] = &[
    "platform-office",
    "engineering-leadership",
    "cto-office",
    "product-management",
];
pub const OTHER_TEAMS: &[&str] = &[
    "technical-writing",
    "developer-relations",
    "qa-guild",
    "it-support",
    "finops",
];

/// Application-layer component suffixes.
pub const APP_PARTS: &[&str] = &[
    "api",
    "web",
    "worker",
    "service",
    "gateway",
    "indexer",
    "scheduler",
    "consumer",
    "frontend",
    "bff",
    "cron",
    "importer",
    "exporter",
    "sync",
    "admin",
    "app",
    "ios",
    "android",
    "graphql",
    "webhooks",
];

/// Shared services the platform runs for the teams.
pub const SERVICE_TECH: &[&str] = &[
    "postgres",
    "redis",
    "kafka",
    "opensearch",
    "rabbitmq",
    "s3",
    "dynamodb",
    "memcached",
    "mysql",
    "cassandra",
    "clickhouse",
    "airflow",
    "feature-flags",
    "vault-path",
    "cdn",
    "queue",
    "blob-store",
    "grpc-mesh",
    "cache",
    "topic",
];

pub const ORCHESTRATION_PARTS: &[&str] = &[
    "cluster",
    "ingress",
    "node-pool",
    "cert-manager",
    "service-mesh",
    "autoscaler",
    "argo-cd",
    "namespace",
    "admission",
    "dns-operator",
    "external-secrets",
    "keda",
];

pub const FOUNDATION_PARTS: &[&str] = &[
    "vpc",
    "iam-roles",
    "dns-zone",
    "transit-gateway",
    "kms-keys",
    "account",
    "landing-zone",
    "nat",
    "firewall",
    "backup-vault",
    "org-policy",
    "billing-export",
];

pub const REGIONS: &[&str] = &[
    "eu-west-1",
    "eu-central-1",
    "us-east-1",
    "us-west-2",
    "ap-southeast-1",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
];

pub const HOURS: &[&str] = &[
    "24x7",
    "24x7 follow-the-sun (Lisbon, Austin)",
    "business hours (CET)",
    "business hours (US Eastern)",
    "08:00-20:00 UTC",
    "24x7 for tier 1, business hours otherwise",
];

/// The format's role words, without the RACI letters.
pub const LAYER_ROLES: &[&str] = crate::model::party::KNOWN_ROLES.split_at(9).0;

/// Duty words by layer: what each side of a composed service does.
pub const APP_DUTIES: &[&str] = &[
    "code",
    "deploys",
    "alerts",
    "feature flags",
    "rollbacks",
    "dependencies",
    "capacity requests",
    "slos",
];
pub const APP_PLATFORM_DUTIES: &[&str] = &["pipeline templates", "base images", "golden path"];
pub const SERVICE_DUTIES: &[&str] = &[
    "provisioning",
    "backups",
    "upgrades",
    "monitoring",
    "failover",
    "patching",
    "capacity",
    "restores",
];
pub const SERVICE_CONSUMER_DUTIES: &[&str] = &[
    "schema",
    "migrations",
    "query optimization",
    "ttls",
    "key patterns",
    "topics",
    "consumer groups",
    "retention",
    "access requests",
];
pub const ORCHESTRATION_DUTIES: &[&str] = &[
    "upgrades",
    "node pools",
    "control plane",
    "ingress rules",
    "quotas",
];
pub const ORCHESTRATION_TEAM_DUTIES: &[&str] = &[
    "manifests",
    "resource requests",
    "hpa settings",
    "pod budgets",
];
pub const FOUNDATION_DUTIES: &[&str] = &[
    "network design",
    "account vending",
    "guardrails",
    "key rotation",
];
pub const SECURITY_DUTIES: &[&str] = &["access reviews", "vulnerability triage", "pen tests"];

pub const TAGS: &[&str] = &[
    "pci",
    "gdpr",
    "customer-facing",
    "internal",
    "batch",
    "realtime",
    "legacy",
    "beta",
    "critical-path",
    "cost-center",
    "multi-region",
    "eu-only",
];

pub const PROBLEMS: &[(&str, &str)] = &[
    ("latency", "High latency"),
    ("errors", "Elevated error rate"),
    ("saturation", "Resource saturation"),
    ("lag", "Processing lag"),
    ("timeouts", "Timeouts from dependencies"),
    ("crashloop", "Pods crash-looping"),
    ("cert-expiry", "Certificate about to expire"),
    ("disk-full", "Disk filling up"),
    ("throttling", "Requests throttled"),
    ("data-drift", "Data out of sync"),
];

pub const RESOLUTIONS: &[&str] = &[
    "Platform checks capacity and health of the shared service; the owning team tunes its usage",
    "The owning team rolls back its last change; platform helps read the dashboards",
    "Platform scales the cluster; application teams fix slow handlers and retries",
    "Security rotates the credentials; the owning team redeploys with the new secret",
    "Operations commands the incident; the owner fixes and writes the postmortem",
    "Platform restores from backup; the owning team validates the data",
];

pub const CODE_VERBS: &[&str] = &[
    "fix",
    "refactor",
    "speed up",
    "add tests for",
    "document",
    "tidy",
    "bump dependencies of",
    "add metrics to",
    "handle errors in",
    "simplify",
    "remove dead code from",
    "log more in",
];

pub const CODE_OBJECTS: &[&str] = &[
    "retry backoff",
    "request parsing",
    "cache layer",
    "handler",
    "config loading",
    "pagination",
    "auth middleware",
    "batch job",
    "client",
    "serializer",
    "rate limiter",
    "health check",
];

pub const CODE_FILES: &[&str] = &[
    "handler", "client", "config", "model", "routes", "service", "store", "metrics", "errors",
    "retry", "cache", "worker", "schema", "auth", "util", "jobs",
];

/// "checkout-api" -> "Checkout Api": a readable display name from an id.
pub fn title(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A lowercase ASCII email local part for a person's name.
pub fn email_local(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' => 'e',
            'í' | 'ı' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            'ç' => 'c',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == ' ' {
            out.push('.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_emails_read_well() {
        assert_eq!(title("checkout-api"), "Checkout Api");
        assert_eq!(email_local("Tomás O'Connell"), "tomas.oconnell");
        assert_eq!(email_local("Elif Yılmaz"), "elif.yilmaz");
    }
}
