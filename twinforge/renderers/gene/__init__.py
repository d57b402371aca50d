"""Digital-Gene geometry: numpy triangle meshes of the template primitives and a z-buffer rasteriser."""
