"""Station names per industry, so that sampled lines read like the factories they stand for.

Processors are listed in route order (the sampler keeps that order). Names are plain words
(no quotes or backslashes) because they become FlexSim object names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from twinforge.schemas.enums import Industry


@dataclass(frozen=True)
class IndustryVocabulary:
    """Words for one industry's objects."""

    item: str
    """What the line makes, as a source name prefix (``Wafer Source``)."""
    container: str
    """What a combiner packs into (its second source is ``<container> Source``)."""
    processors: tuple[str, ...]
    """Single-step machines in route order."""
    multiprocessors: tuple[tuple[str, tuple[str, ...]], ...]
    """Multi-step cells and their step names in order."""
    combiners: tuple[str, ...]
    separators: tuple[str, ...]
    finished: str
    """The sink's descriptive name."""


VOCABULARIES: Mapping[Industry, IndustryVocabulary] = MappingProxyType({
    Industry.SEMICONDUCTOR: IndustryVocabulary(
        "Wafer", "FOUP",
        ("Wafer Cleaner", "Oxidation Furnace", "Photoresist Coater", "Lithography Scanner", "Resist Developer",
         "Plasma Etcher", "Ion Implanter", "CVD Chamber", "CMP Polisher", "Metrology Station"),
        (("Litho Cell", ("Coat", "Expose", "Develop")), ("Etch Cluster", ("Etch", "Strip", "Clean")),
         ("Deposition Cluster", ("Preclean", "Deposit", "Anneal"))),
        ("FOUP Loader", "Lot Combiner"), ("Wafer Sorter", "FOUP Unloader"), "Wafer Out"),
    Industry.ELECTRONICS: IndustryVocabulary(
        "PCB", "Tray",
        ("Solder Paste Printer", "Pick and Place", "Reflow Oven", "AOI Station", "Wave Solder", "ICT Tester",
         "Conformal Coater", "Functional Tester"),
        (("SMT Cell", ("Print", "Place", "Reflow")), ("Test Cell", ("Flash", "Test", "Label"))),
        ("Tray Packer", "Board Assembler"), ("Depaneler", "Tray Unloader"), "Finished Boards"),
    Industry.PHOTOMASK: IndustryVocabulary(
        "Blank", "Mask Pod",
        ("Mask Cleaner", "Mask Coater", "E-Beam Writer", "Mask Developer", "Mask Etcher", "Resist Stripper",
         "Mask Inspector", "Mask Repair"),
        (("Pattern Cell", ("Coat", "Write", "Develop")), ("Finishing Cell", ("Etch", "Strip", "Clean"))),
        ("Pellicle Mounter", "Pod Loader"), ("Pod Unloader", "Mask Sorter"), "Mask Shipping"),
    Industry.FOOD_PROCESSING: IndustryVocabulary(
        "Product", "Crate",
        ("Washer", "Slicer", "Mixer", "Oven", "Cooler", "Filler", "Sealer", "Labeler", "Metal Detector"),
        (("Cook Cell", ("Mix", "Bake", "Cool")), ("Packing Cell", ("Fill", "Seal", "Label"))),
        ("Case Packer", "Crate Packer"), ("Portioner", "Crate Unpacker"), "Cold Store"),
    Industry.AUTOMOTIVE: IndustryVocabulary(
        "Body", "Pallet",
        ("Stamping Press", "Body Welder", "Paint Booth", "Drying Oven", "Engine Mount", "Wheel Fitter",
         "Door Fitter", "Final Inspection"),
        (("Weld Cell", ("Spot Weld", "Seal", "Inspect")), ("Trim Cell", ("Wire", "Fit", "Torque"))),
        ("Engine Marriage", "Pallet Loader"), ("Parts Splitter", "Pallet Unloader"), "Vehicle Yard"),
    Industry.PHARMACEUTICAL: IndustryVocabulary(
        "Batch", "Carton",
        ("Dispenser", "Granulator", "Fluid Bed Dryer", "Tablet Press", "Tablet Coater", "Blister Packer",
         "Vision Inspector", "Serializer"),
        (("Granulation Suite", ("Blend", "Granulate", "Dry")), ("Packaging Cell", ("Blister", "Inspect", "Serialize"))),
        ("Cartoner", "Case Packer"), ("Batch Splitter", "Carton Unpacker"), "Quarantine Store"),
    Industry.METAL_FABRICATION: IndustryVocabulary(
        "Sheet", "Rack",
        ("Laser Cutter", "Press Brake", "Punch Press", "Deburring", "Welding Station", "Grinder", "Powder Coater",
         "Curing Oven"),
        (("Machining Cell", ("Mill", "Drill", "Deburr")), ("Finishing Cell", ("Grind", "Wash", "Coat"))),
        ("Rack Loader", "Weld Assembler"), ("Plasma Splitter", "Rack Unloader"), "Dispatch Bay"),
    Industry.PLASTICS: IndustryVocabulary(
        "Pellet", "Bin",
        ("Dryer", "Injection Molder", "Extruder", "Trimmer", "Blow Molder", "Ultrasonic Welder", "Printer",
         "Quality Check"),
        (("Molding Cell", ("Inject", "Cool", "Eject")), ("Finishing Cell", ("Trim", "Weld", "Check"))),
        ("Bin Packer", "Part Assembler"), ("Runner Separator", "Bin Unloader"), "Finished Parts"),
    Industry.TEXTILE: IndustryVocabulary(
        "Fabric", "Bundle",
        ("Spreader", "Cutter", "Sewing Machine", "Overlocker", "Embroidery", "Pressing", "Inspection Table",
         "Folder"),
        (("Sewing Cell", ("Join", "Hem", "Trim")), ("Finishing Cell", ("Press", "Inspect", "Fold"))),
        ("Bundler", "Garment Packer"), ("Ply Separator", "Bundle Opener"), "Garment Store"),
    Industry.PRINTING_PACKAGING: IndustryVocabulary(
        "Sheet", "Box",
        ("Offset Press", "Varnisher", "Die Cutter", "Folder Gluer", "Laminator", "Stitcher", "Trimmer",
         "Shrink Wrapper"),
        (("Press Cell", ("Print", "Dry", "Varnish")), ("Converting Cell", ("Cut", "Fold", "Glue"))),
        ("Box Packer", "Carton Erector"), ("Sheet Splitter", "Box Unpacker"), "Shipping Dock"),
    Industry.AEROSPACE: IndustryVocabulary(
        "Panel", "Jig",
        ("Composite Layup", "Autoclave", "Trimming Cell", "Drilling Robot", "Riveting Station", "Sealant Station",
         "NDT Inspection", "Paint Hangar"),
        (("Assembly Cell", ("Drill", "Fasten", "Seal")), ("Inspection Cell", ("Scan", "Measure", "Record"))),
        ("Jig Loader", "Wing Assembler"), ("Kit Splitter", "Jig Unloader"), "Final Assembly"),
    Industry.LOGISTICS: IndustryVocabulary(
        "Parcel", "Tote",
        ("Induction Station", "Scanner", "Weigher", "Labeler", "Pick Station", "Pack Station", "Sorter",
         "Stretch Wrapper"),
        (("Pack Cell", ("Pick", "Pack", "Label")), ("Returns Cell", ("Scan", "Inspect", "Restock"))),
        ("Tote Consolidator", "Palletizer"), ("Order Splitter", "Depalletizer"), "Outbound Dock"),
    Industry.BATTERY: IndustryVocabulary(
        "Cell", "Module Tray",
        ("Electrode Coater", "Calender", "Slitter", "Stacker", "Tab Welder", "Electrolyte Filler",
         "Formation Rack", "Aging Rack", "Cell Tester"),
        (("Cell Assembly", ("Stack", "Weld", "Seal")), ("Formation Cell", ("Charge", "Age", "Grade"))),
        ("Module Assembler", "Tray Loader"), ("Cell Grader", "Tray Unloader"), "Pack Line"),
})
"""Industry -> its vocabulary."""

QUEUE_NAMES: tuple[str, ...] = ("Queue", "Buffer", "Input Buffer")
"""Buffer names; always numbered (FlexSim's own habit: ``Queue1``)."""

SOURCE_SUFFIXES: tuple[str, ...] = ("Source", "Arrivals", "Supply")
SINK_NAMES: tuple[str, ...] = ("Sink", "Exit")

RESOURCE_NAMES: Mapping[str, str] = MappingProxyType({
    "dispatcher": "Dispatcher",
    "operator": "Operator",
    "task_executer": "TaskExecuter",
    "transporter": "Transporter",
    "robot": "Robot",
    "agv": "AGV",
})
"""Resource kind -> base name (always numbered)."""

ITEM_CLASSES: tuple[str, ...] = ("Box", "Cylinder")
CONTAINER_CLASSES: tuple[str, ...] = ("Pallet", "Tote")
"""FlexSim flow item classes of line items and of combiner containers."""
