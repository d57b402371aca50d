"""Process routes per industry: the stations a line may have, in the order a plant runs them.

Every line takes its machines from its industry's route in route order (receiving first, then
forming, processing, assembly, test, packing last), whatever their kind, so a Palletizer never
comes before a Depalletizer and an Electrode Coater never follows a Formation Rack. Combiners join
where a real line joins (a container or a component feeder), separators split where a real line
splits (a depaneler, a slitter).

Times are the mean time one station spends on one item, in seconds, at the operator level (the
automation level scales them; see ``distributions.ranges``). A capacity-1 Processor is the model
of every station, as FlexSim's help advises, so for equipment that holds many items at once
(tunnel ovens, formation racks) the range is its effective time per item, and the comment says
so. The ranges are engineering judgement from public descriptions of these processes, not
measurements of a plant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from twinforge.schemas import MACHINE_KINDS, FactorySpec
from twinforge.schemas.enums import Industry

MIN, HOUR = 60.0, 3600.0


@dataclass(frozen=True)
class RouteStage:
    """One station of a route: its name, kind, time range and, for combiners and separators, how it joins or splits."""

    name: str
    kind: str
    """``processor``, ``combiner`` or ``separator``."""
    time: tuple[float, float]
    """Mean time per item, s (low, high)."""
    feeder: str = ""
    """A combiner's second input: the container it packs into (``pack``) or the part it joins to (``join``)."""
    mode: str = ""
    """``pack`` or ``join`` for a combiner, ``split`` for a separator."""
    quantity: tuple[int, int] = (1, 1)
    """Items a combiner takes from the line per feeder item, or pieces a separator makes of one item."""


def station(name: str, low: float, high: float) -> RouteStage:
    return RouteStage(name, "processor", (low, high))


def pack(name: str, container: str, quantity: tuple[int, int], low: float, high: float) -> RouteStage:
    return RouteStage(name, "combiner", (low, high), container, "pack", quantity)


def join(name: str, part: str, quantity: tuple[int, int], low: float, high: float) -> RouteStage:
    return RouteStage(name, "combiner", (low, high), part, "join", quantity)


def split(name: str, pieces: tuple[int, int], low: float, high: float) -> RouteStage:
    return RouteStage(name, "separator", (low, high), mode="split", quantity=pieces)


@dataclass(frozen=True)
class Route:
    """An industry's line: what enters, its stations in order, and where finished items go."""

    item: str
    """What enters the line (names its source: ``Lot Source``)."""
    stages: tuple[RouteStage, ...]
    finished: str
    """The sink's descriptive name."""

    def index(self, name: str) -> int:
        """The position of a station name in the route (``ValueError`` if it is not on it)."""
        return [stage.name for stage in self.stages].index(name)


ROUTES: Mapping[Industry, Route] = MappingProxyType({
    # Wafer fab, per lot of 25 wafers: furnace and CVD steps take hours, litho and etch under one.
    Industry.SEMICONDUCTOR: Route("Lot", (
        station("Lot Receiving", 2 * MIN, 5 * MIN),
        station("Wafer Cleaner", 20 * MIN, 40 * MIN),
        station("Oxidation Furnace", 3 * HOUR, 6 * HOUR),
        station("Photoresist Coater", 15 * MIN, 30 * MIN),
        station("Lithography Scanner", 30 * MIN, 60 * MIN),
        station("Resist Developer", 15 * MIN, 30 * MIN),
        station("Plasma Etcher", 30 * MIN, 60 * MIN),
        station("Ion Implanter", 20 * MIN, 60 * MIN),
        station("CVD Chamber", 1 * HOUR, 2 * HOUR),
        station("CMP Polisher", 30 * MIN, 60 * MIN),
        station("Metrology Station", 10 * MIN, 20 * MIN),
    ), "Lot Out"),
    # SMT line per panel: seconds to a few minutes; the depaneler splits a panel into boards.
    Industry.ELECTRONICS: Route("Panel", (
        station("Board Loader", 5, 15),
        station("Solder Paste Printer", 20, 40),
        station("Paste Inspection", 15, 30),
        station("Pick and Place", 40, 120),
        station("Reflow Oven", 30, 60),  # tunnel oven: effective time per panel, not its 4-6 min dwell
        station("AOI Station", 20, 40),
        split("Depaneler", (2, 6), 20, 40),
        station("ICT Tester", 30, 90),
        station("Conformal Coater", 30, 60),
        station("Functional Tester", 60, 180),
        pack("Tray Packer", "Tray", (4, 12), 10, 30),
    ), "Finished Boards"),
    # Mask shop per mask: the e-beam write takes hours, inspection an hour or more.
    Industry.PHOTOMASK: Route("Blank", (
        station("Blank Inspection", 10 * MIN, 20 * MIN),
        station("Mask Cleaner", 10 * MIN, 20 * MIN),
        station("Resist Coater", 10 * MIN, 20 * MIN),
        station("E-Beam Writer", 4 * HOUR, 12 * HOUR),
        station("Mask Developer", 10 * MIN, 20 * MIN),
        station("Mask Etcher", 20 * MIN, 40 * MIN),
        station("Resist Stripper", 10 * MIN, 20 * MIN),
        station("Mask Inspector", 1 * HOUR, 3 * HOUR),
        station("Mask Repair", 30 * MIN, 90 * MIN),
        station("Pellicle Mounter", 15 * MIN, 30 * MIN),
        pack("Pod Packer", "Mask Pod", (1, 1), 5 * MIN, 10 * MIN),
    ), "Mask Shipping"),
    # Bakery-style line per product: seconds per item; the portioner divides a dough piece.
    Industry.FOOD_PROCESSING: Route("Dough", (
        station("Ingredient Weigher", 10, 30),
        station("Mixer", 60, 180),
        split("Portioner", (2, 6), 5, 10),
        station("Proofer", 20, 45),  # cabinet proofer: effective time per piece
        station("Oven", 15, 40),  # tunnel oven: effective time per piece, not its 15-30 min bake
        station("Cooler", 15, 40),
        station("Slicer", 3, 8),
        station("Bagger", 2, 6),
        station("Metal Detector", 1, 3),
        station("Labeler", 1, 4),
        pack("Case Packer", "Case", (6, 24), 10, 30),
    ), "Cold Store"),
    # Body and final assembly per vehicle: a takt of one to a few minutes.
    Industry.AUTOMOTIVE: Route("Body", (
        station("Body Framer", 60, 120),
        station("Body Welder", 60, 120),
        station("Sealer Station", 45, 90),
        station("Paint Booth", 2 * MIN, 4 * MIN),
        station("Paint Oven", 60, 120),  # oven conveyor: effective time per body, not its 30 min bake
        station("Wiring Station", 60, 180),
        join("Engine Marriage", "Powertrain", (1, 1), 60, 120),
        station("Wheel Fitter", 45, 90),
        station("Door Fitter", 60, 120),
        station("Final Inspection", 2 * MIN, 5 * MIN),
    ), "Vehicle Yard"),
    # Solid-dose batches: granulation, drying, pressing and coating take hours per batch.
    Industry.PHARMACEUTICAL: Route("Batch", (
        station("Dispensary", 15 * MIN, 30 * MIN),
        station("Granulator", 30 * MIN, 90 * MIN),
        station("Fluid Bed Dryer", 1 * HOUR, 3 * HOUR),
        station("Tablet Press", 1 * HOUR, 3 * HOUR),
        station("Tablet Coater", 2 * HOUR, 4 * HOUR),
        station("QC Release", 2 * HOUR, 6 * HOUR),
        split("Batch Splitter", (2, 4), 10 * MIN, 20 * MIN),
        station("Blister Packer", 1 * HOUR, 2 * HOUR),
        station("Serializer", 20 * MIN, 40 * MIN),
        pack("Palletizer", "Pallet", (2, 4), 10 * MIN, 20 * MIN),
    ), "Finished Goods Store"),
    # Sheet-metal job shop per sheet: minutes per operation; the curing oven holds a rack.
    Industry.METAL_FABRICATION: Route("Sheet", (
        station("Laser Cutter", 2 * MIN, 6 * MIN),
        split("Part Breakout", (2, 8), 1 * MIN, 3 * MIN),
        station("Deburring", 30, 90),
        station("Press Brake", 1 * MIN, 3 * MIN),
        station("Welding Station", 3 * MIN, 10 * MIN),
        station("Grinder", 1 * MIN, 3 * MIN),
        station("Powder Coater", 2 * MIN, 5 * MIN),
        station("Curing Oven", 2 * MIN, 6 * MIN),  # rack oven: effective time per part, not its 20 min cure
        station("Final Inspection", 1 * MIN, 3 * MIN),
        pack("Rack Loader", "Rack", (4, 12), 1 * MIN, 2 * MIN),
    ), "Dispatch Bay"),
    # Injection-moulded parts: a shot every 20-60 s, split into parts, finished in seconds.
    Industry.PLASTICS: Route("Shot", (
        station("Injection Molder", 20, 60),
        split("Degating Station", (2, 8), 5, 15),
        station("Trimmer", 10, 30),
        station("Ultrasonic Welder", 5, 15),
        station("Pad Printer", 5, 15),
        station("Quality Check", 10, 30),
        pack("Bin Packer", "Bin", (20, 60), 10, 30),
    ), "Finished Parts"),
    # Cut-and-sew per lay of fabric: the lay is cut into garment bundles, then sewn and finished.
    Industry.TEXTILE: Route("Lay", (
        station("Fabric Spreader", 5 * MIN, 15 * MIN),
        station("Cutter", 5 * MIN, 15 * MIN),
        split("Bundle Splitter", (4, 12), 1 * MIN, 3 * MIN),
        station("Sewing Machine", 3 * MIN, 10 * MIN),
        station("Overlocker", 1 * MIN, 4 * MIN),
        station("Embroidery", 5 * MIN, 15 * MIN),
        station("Pressing", 1 * MIN, 3 * MIN),
        station("Inspection Table", 1 * MIN, 2 * MIN),
        station("Folder", 20, 60),
        pack("Garment Packer", "Carton", (12, 48), 1 * MIN, 3 * MIN),
    ), "Garment Store"),
    # Folding-carton plant per pile of sheets: tens of minutes per pile on presses and cutters.
    Industry.PRINTING_PACKAGING: Route("Sheet Pile", (
        station("Offset Press", 20 * MIN, 60 * MIN),
        station("Varnisher", 10 * MIN, 30 * MIN),
        station("Die Cutter", 15 * MIN, 40 * MIN),
        split("Blank Stripper", (2, 6), 5 * MIN, 10 * MIN),
        station("Folder Gluer", 15 * MIN, 40 * MIN),
        station("Quality Check", 5 * MIN, 10 * MIN),
        pack("Carton Packer", "Pallet", (4, 10), 5 * MIN, 10 * MIN),
        station("Shrink Wrapper", 2 * MIN, 5 * MIN),
    ), "Shipping Dock"),
    # Composite airframe parts per panel: layup, cure and assembly take hours.
    Industry.AEROSPACE: Route("Panel", (
        station("Composite Layup", 4 * HOUR, 10 * HOUR),
        station("Autoclave", 4 * HOUR, 8 * HOUR),
        station("Trimming Cell", 1 * HOUR, 3 * HOUR),
        station("NDT Inspection", 2 * HOUR, 6 * HOUR),
        station("Drilling Robot", 2 * HOUR, 4 * HOUR),
        join("Wing Assembler", "Spar", (2, 4), 4 * HOUR, 8 * HOUR),
        station("Riveting Station", 3 * HOUR, 8 * HOUR),
        station("Sealant Station", 1 * HOUR, 3 * HOUR),
        station("Paint Hangar", 6 * HOUR, 12 * HOUR),
        station("Final Inspection", 2 * HOUR, 4 * HOUR),
    ), "Final Assembly"),
    # Parcel fulfilment: cases broken into items at receiving, seconds per item, pallets at the end.
    Industry.LOGISTICS: Route("Case", (
        split("Case Breaker", (4, 12), 10, 30),
        station("Induction Station", 3, 8),
        station("Scanner", 1, 3),
        station("Pick Station", 8, 20),
        station("Pack Station", 20, 60),
        station("Weigher", 2, 5),
        station("Labeler", 2, 5),
        station("Sorter", 1, 3),
        pack("Palletizer", "Pallet", (20, 60), 30, 90),
        station("Stretch Wrapper", 30, 60),
    ), "Outbound Dock"),
    # Pouch-cell assembly per cell; formation and test racks hold hundreds of cells.
    Industry.BATTERY: Route("Electrode Set", (
        station("Electrode Stacker", 60, 180),
        station("Tab Welder", 20, 60),
        station("Pouch Sealer", 30, 60),
        station("Electrolyte Filler", 60, 120),
        station("Degassing Station", 30, 90),
        station("Formation Rack", 30, 90),  # hundreds of channels: effective time per cell, not 12-24 h
        station("Cell Tester", 20, 60),
        station("Cell Grader", 10, 30),
        pack("Module Assembler", "Module Housing", (8, 24), 2 * MIN, 5 * MIN),
    ), "Pack Line"),
})
"""Industry -> its route."""


def line_stations(spec: FactorySpec) -> list[list[str]]:
    """The machine names along each line from the main source to the sink, in flow order."""
    flow = spec.flow_connections()
    lines = []
    for first in [c.to for c in flow if c.from_ == spec.objects[0].name]:
        names, current = [], first
        while spec.get(current).kind != "sink":
            if spec.get(current).kind in MACHINE_KINDS:
                names.append(current)
            current = next(c.to for c in flow if c.from_ == current and spec.get(c.to).kind != "source")
        lines.append(names)
    return lines


def route_position(industry: Industry, station_name: str) -> int:
    """Where a (possibly numbered) station name sits on its industry's route."""
    route = ROUTES[industry]
    for index, stage in enumerate(route.stages):
        if station_name == stage.name or (station_name.startswith(stage.name)
                                          and station_name[len(stage.name):].isdigit()):
            return index
    raise ValueError(f"{station_name!r} is not a station of the {industry.value} route")
