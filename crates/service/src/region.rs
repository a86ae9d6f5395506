//! Azure regions by name: the console shows a region as the Azure portal does ("West Europe",
//! "Sweden Central", "East US 2"), keeping the API's code (`westeurope`) for requests and as a
//! secondary. Region names are proper names, written the same in every language the console
//! speaks, as the portal writes them.

/// Each public Azure region's API code with its display name, as Azure Resource Manager's list of
/// locations (`az account list-locations`) names them.
pub const REGIONS: &[(&str, &str)] = &[
    ("australiacentral", "Australia Central"),
    ("australiacentral2", "Australia Central 2"),
    ("australiaeast", "Australia East"),
    ("australiasoutheast", "Australia Southeast"),
    ("austriaeast", "Austria East"),
    ("belgiumcentral", "Belgium Central"),
    ("brazilsouth", "Brazil South"),
    ("brazilsoutheast", "Brazil Southeast"),
    ("canadacentral", "Canada Central"),
    ("canadaeast", "Canada East"),
    ("centralindia", "Central India"),
    ("centralus", "Central US"),
    ("centraluseuap", "Central US EUAP"),
    ("chilecentral", "Chile Central"),
    ("denmarkeast", "Denmark East"),
    ("eastasia", "East Asia"),
    ("eastus", "East US"),
    ("eastus2", "East US 2"),
    ("eastus2euap", "East US 2 EUAP"),
    ("francecentral", "France Central"),
    ("francesouth", "France South"),
    ("germanynorth", "Germany North"),
    ("germanywestcentral", "Germany West Central"),
    ("indonesiacentral", "Indonesia Central"),
    ("israelcentral", "Israel Central"),
    ("italynorth", "Italy North"),
    ("japaneast", "Japan East"),
    ("japanwest", "Japan West"),
    ("jioindiacentral", "Jio India Central"),
    ("jioindiawest", "Jio India West"),
    ("koreacentral", "Korea Central"),
    ("koreasouth", "Korea South"),
    ("malaysiawest", "Malaysia West"),
    ("mexicocentral", "Mexico Central"),
    ("newzealandnorth", "New Zealand North"),
    ("northcentralus", "North Central US"),
    ("northeurope", "North Europe"),
    ("norwayeast", "Norway East"),
    ("norwaywest", "Norway West"),
    ("polandcentral", "Poland Central"),
    ("qatarcentral", "Qatar Central"),
    ("southafricanorth", "South Africa North"),
    ("southafricawest", "South Africa West"),
    ("southcentralus", "South Central US"),
    ("southeastasia", "Southeast Asia"),
    ("southindia", "South India"),
    ("spaincentral", "Spain Central"),
    ("swedencentral", "Sweden Central"),
    ("swedensouth", "Sweden South"),
    ("switzerlandnorth", "Switzerland North"),
    ("switzerlandwest", "Switzerland West"),
    ("taiwannorth", "Taiwan North"),
    ("taiwannorthwest", "Taiwan Northwest"),
    ("uaecentral", "UAE Central"),
    ("uaenorth", "UAE North"),
    ("uksouth", "UK South"),
    ("ukwest", "UK West"),
    ("westcentralus", "West Central US"),
    ("westeurope", "West Europe"),
    ("westindia", "West India"),
    ("westus", "West US"),
    ("westus2", "West US 2"),
    ("westus3", "West US 3"),
];

/// The display name of the region whose API code is `code` ("westeurope" → "West Europe"),
/// whatever its case; a code this list does not know (a region newer than it) is shown as given.
pub fn display_name(code: &str) -> &str {
    REGIONS.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map_or(code, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_public_region_is_named_as_the_portal_names_it() {
        assert_eq!(display_name("westeurope"), "West Europe");
        assert_eq!(display_name("eastus"), "East US");
        assert_eq!(display_name("eastus2"), "East US 2");
        assert_eq!(display_name("swedencentral"), "Sweden Central");
        assert_eq!(display_name("germanywestcentral"), "Germany West Central");
        assert_eq!(display_name("uaenorth"), "UAE North");
        assert_eq!(display_name("uksouth"), "UK South");
        assert_eq!(display_name("southeastasia"), "Southeast Asia");
        assert_eq!(display_name("WestEurope"), "West Europe", "ARM answers codes in any case");
        for (code, name) in REGIONS {
            assert_eq!(display_name(code), *name);
            // The name is the code's words: the code is the name lower-cased without spaces.
            assert_eq!(name.to_lowercase().replace(' ', ""), *code, "{code} is named {name}");
        }
        let mut codes: Vec<&str> = REGIONS.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), REGIONS.len(), "each code once");
        assert!(REGIONS.len() >= 60, "every public region");
    }

    #[test]
    fn an_unknown_code_is_shown_as_given() {
        assert_eq!(display_name("marsnorth"), "marsnorth");
        assert_eq!(display_name(""), "");
    }

    #[test]
    fn the_catalogs_regions_are_named() {
        for code in crate::catalog::CATALOG_REGIONS {
            assert_ne!(display_name(code), code, "{code} has a display name");
        }
    }
}
