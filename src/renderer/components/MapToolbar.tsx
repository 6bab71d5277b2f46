import { useMemo } from 'react';
import { formatCount } from '../format/numbers';
import type { GroupMap } from '../model/group-map';
import { filterChoices, NO_QUERY, type MapQuery } from '../model/map-search';
import { CutSlider } from './CutSlider';

/** Search and filters over the map, zoom to what they found or to the selection (fitting the whole map is the canvas's own Fit View control), and the dendrogram cut. */
export function MapToolbar(props: {
  readonly map: GroupMap;
  readonly query: MapQuery;
  readonly onQuery: (query: MapQuery) => void;
  readonly matches: ReadonlySet<string> | null;
  readonly onZoomToMatches: () => void;
  readonly onZoomToSelection: () => void;
  readonly onSelectFirstMatch: () => void;
  readonly profiles: number;
  readonly discoveredClusters: number;
  readonly clusters: number | null;
}) {
  const { map, query, onQuery, matches } = props;
  const choices = useMemo(() => filterChoices(map), [map]);
  return (
    <div className="map-toolbar" role="toolbar" aria-label="Map tools">
      <label>
        Search{' '}
        <input
          type="search"
          value={query.text}
          placeholder="host, group, label or port"
          aria-describedby="map-match-count"
          onChange={(event) => onQuery({ ...query, text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter') props.onSelectFirstMatch();
          }}
        />
      </label>
      <label>
        Environment{' '}
        <select value={query.environment ?? ''} onChange={(event) => onQuery({ ...query, environment: event.target.value === '' ? null : event.target.value })}>
          <option value="">any</option>
          {choices.environments.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <label>
        Service{' '}
        <select value={query.service ?? ''} onChange={(event) => onQuery({ ...query, service: event.target.value === '' ? null : event.target.value })}>
          <option value="">any</option>
          {choices.services.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" checked={query.anomaliesOnly} onChange={(event) => onQuery({ ...query, anomaliesOnly: event.target.checked })} /> anomalies only
      </label>
      <label>
        <input type="checkbox" checked={query.wouldBreakOnly} onChange={(event) => onQuery({ ...query, wouldBreakOnly: event.target.checked })} /> would break only
      </label>
      <span id="map-match-count" className="table-count" role="status">
        {matches === null ? '' : `${formatCount(matches.size)} of ${formatCount(map.nodes.length)} groups match`}
      </span>
      {matches !== null && (
        <>
          <button type="button" onClick={props.onZoomToMatches} disabled={matches.size === 0}>
            Zoom to matches
          </button>
          <button type="button" onClick={() => onQuery(NO_QUERY)}>
            Clear
          </button>
        </>
      )}
      <button type="button" onClick={props.onZoomToSelection}>
        Zoom to selection
      </button>
      <CutSlider profiles={props.profiles} discovered={props.discoveredClusters} clusters={props.clusters} />
    </div>
  );
}
