//! Decoding a device's SyncML message.
//!
//! Lenient where real devices and Microsoft's examples vary (namespaces,
//! whitespace around values, `syncml:metinf` vs `syncml:metinfo`, unknown
//! elements), strict where the server needs a value to answer at all
//! (SyncHdr, SessionID, MsgID, SyncBody).

use super::{Alert, Command, Container, Cred, Item, ItemCommand, Meta, Results, Status, SyncHdr, SyncMl};
use crate::xml_limits::{self, Element, XmlError, XmlLimits};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error(transparent)]
    Xml(#[from] XmlError),
    #[error("root element is <{0}>, expected <SyncML>")]
    NotSyncMl(String),
    #[error("required element {0} is missing")]
    Missing(&'static str),
}

/// Decodes a device message with the default [`XmlLimits`].
pub fn decode(body: &[u8]) -> Result<SyncMl, DecodeError> {
    decode_with(body, &XmlLimits::default())
}

/// Decodes a device message under the given limits.
pub fn decode_with(body: &[u8], limits: &XmlLimits) -> Result<SyncMl, DecodeError> {
    let root = xml_limits::parse(body, limits)?;
    if root.name != "SyncML" {
        return Err(DecodeError::NotSyncMl(root.name));
    }
    let hdr = root.child("SyncHdr").ok_or(DecodeError::Missing("SyncHdr"))?;
    let body_el = root.child("SyncBody").ok_or(DecodeError::Missing("SyncBody"))?;
    let hdr = parse_hdr(hdr)?;
    let mut body = Vec::new();
    let mut is_final = false;
    for child in &body_el.children {
        if child.name == "Final" {
            is_final = true;
        } else {
            body.push(parse_command(child));
        }
    }
    Ok(SyncMl { hdr, body, is_final })
}

fn opt_text(el: &Element, name: &str) -> Option<String> {
    el.child_text(name).map(str::to_owned)
}

fn text(el: &Element, name: &str) -> String {
    el.child_text(name).unwrap_or_default().to_owned()
}

fn loc_uri(el: &Element, name: &str) -> Option<String> {
    el.path_text(&[name, "LocURI"]).map(str::to_owned)
}

fn parse_hdr(el: &Element) -> Result<SyncHdr, DecodeError> {
    let session_id = el.child_text("SessionID").ok_or(DecodeError::Missing("SessionID"))?;
    let msg_id = el.child_text("MsgID").ok_or(DecodeError::Missing("MsgID"))?;
    Ok(SyncHdr {
        ver_dtd: text(el, "VerDTD"),
        ver_proto: text(el, "VerProto"),
        session_id: session_id.to_owned(),
        msg_id: msg_id.to_owned(),
        target: loc_uri(el, "Target"),
        source: loc_uri(el, "Source"),
        source_loc_name: el.path_text(&["Source", "LocName"]).map(str::to_owned),
        cred: el.child("Cred").map(|c| Cred { meta: c.child("Meta").map(parse_meta).unwrap_or_default(), data: text(c, "Data") }),
        meta: el.child("Meta").map(parse_meta).unwrap_or_default(),
    })
}

pub(crate) fn parse_meta(el: &Element) -> Meta {
    Meta {
        format: opt_text(el, "Format"),
        type_: opt_text(el, "Type"),
        // A device that sends a non-number MaxMsgSize gets our default treatment.
        max_msg_size: el.child_text("MaxMsgSize").and_then(|s| s.parse().ok()),
        next_nonce: opt_text(el, "NextNonce"),
    }
}

fn parse_item(el: &Element) -> Item {
    Item {
        source: loc_uri(el, "Source"),
        target: loc_uri(el, "Target"),
        meta: el.child("Meta").map(parse_meta).unwrap_or_default(),
        data: opt_text(el, "Data"),
    }
}

fn items(el: &Element) -> Vec<Item> {
    el.children_named("Item").map(parse_item).collect()
}

fn item_command(el: &Element) -> ItemCommand {
    ItemCommand { cmd_id: text(el, "CmdID"), meta: el.child("Meta").map(parse_meta).unwrap_or_default(), items: items(el) }
}

/// Recursion depth is bounded by the XML depth limit (Atomic/Sequence nest).
fn parse_command(el: &Element) -> Command {
    match el.name.as_str() {
        "Status" => Command::Status(Status {
            cmd_id: text(el, "CmdID"),
            msg_ref: opt_text(el, "MsgRef"),
            cmd_ref: text(el, "CmdRef"),
            cmd: text(el, "Cmd"),
            target_refs: el.children_named("TargetRef").map(|t| t.text().to_owned()).collect(),
            source_refs: el.children_named("SourceRef").map(|t| t.text().to_owned()).collect(),
            chal: el.path(&["Chal", "Meta"]).map(parse_meta),
            data: text(el, "Data"),
            items: items(el),
        }),
        "Results" => Command::Results(Results {
            cmd_id: text(el, "CmdID"),
            msg_ref: opt_text(el, "MsgRef"),
            cmd_ref: text(el, "CmdRef"),
            meta: el.child("Meta").map(parse_meta).unwrap_or_default(),
            items: items(el),
        }),
        "Alert" => Command::Alert(Alert { cmd_id: text(el, "CmdID"), data: text(el, "Data"), items: items(el) }),
        "Add" => Command::Add(item_command(el)),
        "Replace" => Command::Replace(item_command(el)),
        "Get" => Command::Get(item_command(el)),
        "Delete" => Command::Delete(item_command(el)),
        "Exec" => Command::Exec(item_command(el)),
        "Atomic" | "Sequence" => {
            let c = Container {
                cmd_id: text(el, "CmdID"),
                commands: el
                    .children
                    .iter()
                    .filter(|c| !matches!(c.name.as_str(), "CmdID" | "Meta" | "NoResp"))
                    .map(parse_command)
                    .collect(),
            };
            if el.name == "Atomic" {
                Command::Atomic(c)
            } else {
                Command::Sequence(c)
            }
        }
        other => Command::Unknown { name: other.to_owned(), cmd_id: text(el, "CmdID") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>
    <SessionID>1F</SessionID><MsgID>2</MsgID>
    <Target><LocURI>https://mdm.example.com/ManagementServer/MDM.svc</LocURI></Target>
    <Source><LocURI>42</LocURI><LocName>dev-user</LocName></Source>
    <Cred>
      <Meta><Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-md5</Type></Meta>
      <Data>abc=</Data>
    </Cred>
    <Meta><MaxMsgSize xmlns="syncml:metinf">65535</MaxMsgSize></Meta>
  </SyncHdr>
  <SyncBody>
    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>
    <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Cmd>Get</Cmd>
      <TargetRef>./DevInfo/Mod</TargetRef><Data>200</Data></Status>
    <Results><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>
      <Item><Source><LocURI>./DevInfo/Mod</LocURI></Source>
        <Meta><Format xmlns="syncml:metinf">chr</Format></Meta><Data>Lumia &amp; co</Data></Item>
    </Results>
    <Atomic><CmdID>4</CmdID>
      <Sequence><CmdID>5</CmdID><Replace><CmdID>6</CmdID></Replace></Sequence>
    </Atomic>
    <Frobnicate><CmdID>7</CmdID></Frobnicate>
    <Final/>
  </SyncBody>
</SyncML>"#;

    #[test]
    fn decodes_header_and_body() {
        let m = decode(MSG.as_bytes()).unwrap();
        assert_eq!(m.hdr.session_id, "1F");
        assert_eq!(m.hdr.msg_id, "2");
        assert_eq!(m.hdr.ver_proto, "DM/1.2");
        assert_eq!(m.hdr.source.as_deref(), Some("42"));
        assert_eq!(m.hdr.source_loc_name.as_deref(), Some("dev-user"));
        assert_eq!(m.hdr.meta.max_msg_size, Some(65535));
        let cred = m.hdr.cred.as_ref().unwrap();
        assert_eq!(cred.meta.type_.as_deref(), Some("syncml:auth-md5"));
        assert_eq!(cred.data, "abc=");
        assert!(m.is_final);
        assert_eq!(m.body.len(), 5);
        let Command::Status(s) = &m.body[1] else { panic!() };
        assert_eq!((s.cmd_ref.as_str(), s.cmd.as_str(), s.code()), ("3", "Get", Some(200)));
        assert_eq!(s.target_refs, vec!["./DevInfo/Mod"]);
        assert_eq!(m.item_data("./DevInfo/Mod"), Some("Lumia & co"));
        let names: Vec<_> = m.all_commands().iter().map(|c| c.name().to_owned()).collect();
        assert_eq!(names, ["Status", "Status", "Results", "Atomic", "Sequence", "Replace", "Frobnicate"]);
        assert_eq!(m.body[4].cmd_id(), "7");
    }

    #[test]
    fn refuses_non_syncml_and_missing_parts() {
        assert_eq!(decode(b"<Other/>"), Err(DecodeError::NotSyncMl("Other".into())));
        assert_eq!(decode(b"<SyncML><SyncBody/></SyncML>"), Err(DecodeError::Missing("SyncHdr")));
        assert_eq!(decode(b"<SyncML><SyncHdr><SessionID>1</SessionID></SyncHdr><SyncBody/></SyncML>"), Err(DecodeError::Missing("MsgID")));
    }
}
