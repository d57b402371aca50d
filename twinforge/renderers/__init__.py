"""Views of a FactorySpec: FlexScript code, layout sketch, prompt. Renderers import only schemas."""
