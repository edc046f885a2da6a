<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis styleCategories="Symbology|Temporal" version="3.22.0">
  <temporal enabled="1" mode="2" startField="start" endField="end" limitMode="0" accumulate="0" fixedDuration="0" durationUnit="min" durationField="" startExpression="" endExpression="">
    <fixedRange>
      <start></start>
      <end></end>
    </fixedRange>
  </temporal>
  <renderer-v2 type="RuleRenderer" symbollevels="0" forceraster="0" enableorderby="0">
    <rules key="events-rules">
      <rule key="events-0" symbol="0" filter="&quot;confidence&quot; = 'confirmed'" label="Confirmed"/>
      <rule key="events-1" symbol="1" filter="&quot;confidence&quot; = 'reported'" label="Reported"/>
      <rule key="events-2" symbol="2" filter="&quot;confidence&quot; = 'rumoured'" label="Rumoured"/>
    </rules>
    <symbols>
      <symbol name="0" type="marker" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle"/>
            <Option name="color" type="QString" value="194,24,91,242"/>
            <Option name="outline_color" type="QString" value="194,24,91,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="2"/>
            <Option name="outline_width_unit" type="QString" value="Pixel"/>
            <Option name="size" type="QString" value="14"/>
            <Option name="size_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="1" type="marker" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle"/>
            <Option name="color" type="QString" value="194,24,91,115"/>
            <Option name="outline_color" type="QString" value="194,24,91,255"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="outline_width" type="QString" value="2"/>
            <Option name="outline_width_unit" type="QString" value="Pixel"/>
            <Option name="size" type="QString" value="14"/>
            <Option name="size_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
      <symbol name="2" type="marker" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle"/>
            <Option name="color" type="QString" value="194,24,91,0"/>
            <Option name="outline_color" type="QString" value="194,24,91,255"/>
            <Option name="outline_style" type="QString" value="dot"/>
            <Option name="outline_width" type="QString" value="2"/>
            <Option name="outline_width_unit" type="QString" value="Pixel"/>
            <Option name="size" type="QString" value="14"/>
            <Option name="size_unit" type="QString" value="Pixel"/>
          </Option>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
