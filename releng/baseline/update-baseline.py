#!/usr/bin/env python3
"""Makes the API baseline (releng/baseline/repository) from a released CREW SDK: its API bundles and their p2
metadata, nothing else. Run it at each release with the SDK that was released (docs/plugin-sdk.md, "Baseline"):

    releng/baseline/update-baseline.py product/target/sdk/crew-sdk-VERSION.zip

The result is a small p2 repository that tycho-baseline-plugin reads offline (file: URL), checked into git.
"""
import io
import sys
import time
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

# The bundles whose packages are CREW's API (docs/plugin-sdk.md); a new API bundle is added here and to the list of
# poms that set crew.baseline.skip=false.
API_BUNDLES = ["crew.model", "crew.cli", "crew.routing.api", "crew.design", "crew.enforce", "crew.ui.app"]


class Sdk:
    """An SDK p2 repository: a directory or a zip of one."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path) if path.is_file() else None
        self.dir = None if self.zip else path

    def read(self, name: str) -> bytes | None:
        if self.zip:
            return self.zip.read(name) if name in self.zip.namelist() else None
        p = self.dir / name
        return p.read_bytes() if p.exists() else None

    def xml(self, base: str) -> ET.Element:
        jar = self.read(base + ".jar")
        if jar is not None:
            return ET.fromstring(zipfile.ZipFile(io.BytesIO(jar)).read(base + ".xml"))
        plain = self.read(base + ".xml")
        if plain is None:
            sys.exit(f"update-baseline: no {base}.jar or {base}.xml in the SDK: is it a p2 repository?")
        return ET.fromstring(plain)


def write(root: ET.Element, kind: str, path: Path):
    body = ET.tostring(root, encoding="unicode")
    path.write_text(f"<?xml version='1.0' encoding='UTF-8'?>\n<?{kind} version='1.1.0'?>\n{body}\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: update-baseline.py SDK-ZIP-OR-DIRECTORY")
    sdk = Sdk(Path(sys.argv[1]))
    out = Path(__file__).resolve().parent / "repository"
    (out / "plugins").mkdir(parents=True, exist_ok=True)
    for old in (out / "plugins").glob("*.jar"):
        old.unlink()
    content, artifacts = sdk.xml("content"), sdk.xml("artifacts")
    units = [u for u in content.find("units") if u.get("id") in API_BUNDLES]
    found = {u.get("id") for u in units}
    missing = [b for b in API_BUNDLES if b not in found]
    if missing:
        sys.exit(f"update-baseline: the SDK has no bundle {', '.join(missing)}")
    arts = [a for a in artifacts.find("artifacts") if a.get("classifier") == "osgi.bundle" and a.get("id") in found]
    stamp = str(int(time.time() * 1000))

    repo = ET.Element("repository", name="CREW SDK API baseline",
                      type="org.eclipse.equinox.internal.p2.metadata.repository.LocalMetadataRepository", version="1")
    props = ET.SubElement(repo, "properties", size="1")
    ET.SubElement(props, "property", name="p2.timestamp", value=stamp)
    us = ET.SubElement(repo, "units", size=str(len(units)))
    us.extend(units)
    write(repo, "metadataRepository", out / "content.xml")

    repo = ET.Element("repository", name="CREW SDK API baseline",
                      type="org.eclipse.equinox.p2.artifact.repository.simpleRepository", version="1")
    props = ET.SubElement(repo, "properties", size="1")
    ET.SubElement(props, "property", name="p2.timestamp", value=stamp)
    mappings = ET.SubElement(repo, "mappings", size="1")
    ET.SubElement(mappings, "rule", filter="(& (classifier=osgi.bundle))",
                  output="${repoUrl}/plugins/${id}_${version}.jar")
    a = ET.SubElement(repo, "artifacts", size=str(len(arts)))
    a.extend(arts)
    write(repo, "artifactRepository", out / "artifacts.xml")

    for art in arts:
        name = f"plugins/{art.get('id')}_{art.get('version')}.jar"
        data = sdk.read(name)
        if data is None:
            sys.exit(f"update-baseline: the SDK lists {name} but does not hold it")
        (out / name).write_bytes(data)
        print(f"baseline: {art.get('id')} {art.get('version')} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
