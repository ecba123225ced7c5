#include "server/api/metadata_document.hpp"

#include <utility>

namespace stagehand {

namespace {

constexpr const char* schema_namespace = "Microsoft.Dynamics.CRM";

/// The entity type's properties and their EDM types, in the table's order.
constexpr std::pair<const char*, const char*> properties[] = {
  {"backgroundoperationid", "Edm.Guid"},
  {"backgroundoperationstatecode", "Edm.Int32"},
  {"backgroundoperationstatuscode", "Edm.Int32"},
  {"name", "Edm.String"},
  {"displayname", "Edm.String"},
  {"inputparameters", "Collection(Microsoft.Dynamics.CRM.keyvaluepair)"},
  {"outputparameters", "Collection(Microsoft.Dynamics.CRM.keyvaluepair)"},
  {"starttime", "Edm.DateTimeOffset"},
  {"endtime", "Edm.DateTimeOffset"},
  {"retrycount", "Edm.Int32"},
  {"errorcode", "Edm.Int32"},
  {"errormessage", "Edm.String"},
  {"runas", "Edm.String"},
  {"createdon", "Edm.DateTimeOffset"},
  {"ttlinseconds", "Edm.Int64"},
};

const char* edm_type(parameter_type x) {
  switch (x) {
  case parameter_type::string:
    return "Edm.String";
  case parameter_type::integer:
    return "Edm.Int64";
  case parameter_type::boolean:
    return "Edm.Boolean";
  }
  return "Edm.String";
}

/// `text` with the five characters XML gives meaning escaped.
std::string xml_escape(const std::string& text) {
  std::string out;
  for (auto c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string operation_element(const operation_definition& def) {
  auto function = def.kind == operation_kind::function;
  std::string out = std::string{"      <"} + (function ? "Function" : "Action")
                    + " Name=\"" + xml_escape(def.name) + "\">\n";
  for (auto& param : def.parameters)
    out += "        <Parameter Name=\"" + xml_escape(param.name)
           + "\" Type=\"" + edm_type(param.type) + "\" Nullable=\""
           + (param.required ? "false" : "true") + "\"/>\n";
  // Outputs are not declared, so the result is an open type: any
  // properties. A function must declare a return type; an action may.
  out += std::string{"        <ReturnType Type=\""} + schema_namespace
         + ".operationresult\"/>\n";
  out += std::string{"      </"} + (function ? "Function" : "Action") + ">\n";
  return out;
}

} // namespace

std::string metadata_document(const operation_registry& registry) {
  std::string out
    = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<edmx:Edmx Version=\"4.0\" "
      "xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n"
      "  <edmx:DataServices>\n"
      "    <Schema Namespace=\"Microsoft.Dynamics.CRM\" Alias=\"mscrm\" "
      "xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n"
      "      <ComplexType Name=\"keyvaluepair\">\n"
      "        <Property Name=\"Key\" Type=\"Edm.String\" "
      "Nullable=\"false\"/>\n"
      "        <Property Name=\"Value\" Type=\"Edm.String\"/>\n"
      "      </ComplexType>\n"
      "      <ComplexType Name=\"operationresult\" OpenType=\"true\"/>\n"
      "      <EntityType Name=\"backgroundoperation\">\n"
      "        <Key><PropertyRef Name=\"backgroundoperationid\"/></Key>\n";
  for (auto& [name, type] : properties)
    out += std::string{"        <Property Name=\""} + name + "\" Type=\""
           + type + "\""
           + (std::string{name} == "backgroundoperationid"
                ? " Nullable=\"false\""
                : "")
           + "/>\n";
  out += "      </EntityType>\n";
  for (auto* def : registry.all())
    out += operation_element(*def);
  out += "      <EntityContainer Name=\"System\">\n"
         "        <EntitySet Name=\"backgroundoperations\" "
         "EntityType=\"Microsoft.Dynamics.CRM.backgroundoperation\"/>\n";
  for (auto* def : registry.all()) {
    auto function = def->kind == operation_kind::function;
    auto name = xml_escape(def->name);
    out += std::string{"        <"}
           + (function ? "FunctionImport" : "ActionImport") + " Name=\"" + name
           + "\" " + (function ? "Function" : "Action") + "=\""
           + schema_namespace + "." + name + "\""
           + (function ? " IncludeInServiceDocument=\"true\"" : "") + "/>\n";
  }
  out += "      </EntityContainer>\n"
         "    </Schema>\n"
         "  </edmx:DataServices>\n"
         "</edmx:Edmx>\n";
  return out;
}

} // namespace stagehand
